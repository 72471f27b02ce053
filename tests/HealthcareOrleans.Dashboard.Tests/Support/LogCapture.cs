using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace HealthcareOrleans.Dashboard.Tests.Support;

/// <summary>One captured log line: the text a console would print plus every structured value.</summary>
public sealed record CapturedLog(string Source, string Category, LogLevel Level, string Text)
{
    public bool Mentions(string value) => Text.Contains(value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Captures the host's logs twice: as every logger provider sees them (what the console prints) and as the
/// OpenTelemetry exporters receive them (after the PHI processor).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();

    public LogCapture() => Exported = new ExportedLogs(_lines);

    public BaseProcessor<LogRecord> Exported { get; }

    public IReadOnlyList<CapturedLog> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue(new CapturedLog("logger", category, logLevel, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }

    private sealed class ExportedLogs(ConcurrentQueue<CapturedLog> lines) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var values = string.Join(' ', (data.Attributes ?? []).Select(p => $"{p.Key}={p.Value}"));
            lines.Enqueue(new CapturedLog("otel", data.CategoryName ?? string.Empty, data.LogLevel, $"{data.FormattedMessage} | {data.Body} | {values} | {data.Exception}"));
        }
    }
}
