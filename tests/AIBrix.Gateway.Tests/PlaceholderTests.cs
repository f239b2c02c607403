namespace AIBrix.Gateway.Tests;
