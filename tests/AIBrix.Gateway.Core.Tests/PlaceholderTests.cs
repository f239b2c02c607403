namespace AIBrix.Gateway.Core.Tests;
