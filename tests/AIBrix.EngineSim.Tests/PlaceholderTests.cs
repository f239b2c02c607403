namespace AIBrix.EngineSim.Tests;
