using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>A logger provider that keeps the exceptions logged with warnings (failed reconciles), to say what they were.</summary>
internal sealed class ErrorLog : ILoggerProvider, ILogger
{
    public ConcurrentQueue<Exception> Errors { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is not null)
        {
            Errors.Enqueue(exception);
        }
    }

    public void Dispose()
    {
    }
}
