using Microsoft.Extensions.Logging.Console;

namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>
/// The console logger behind the PHI scrubber: every rendered line (ASP.NET Core's request lines, Orleans' grain and
/// stream messages, exception text) has its patient ids replaced by pseudonyms before it reaches stdout. It replaces
/// the plain console provider in code, so the rule holds whatever configuration file was or was not found.
/// </summary>
public sealed class PhiScrubbingLoggerProvider(ConsoleLoggerProvider console, PhiScrubber scrubber) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(console.CreateLogger(categoryName), scrubber);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => console.SetScopeProvider(scopeProvider);

    public void Dispose() => console.Dispose();

    private sealed class ScrubbingLogger(ILogger inner, PhiScrubber scrubber) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            // An exception's text cannot be edited in place: its scrubbed text goes into the line instead.
            var exceptionText = exception is null ? null : scrubber.ScrubText(exception.ToString());
            inner.Log(logLevel, eventId, state, null, (s, e) =>
            {
                var line = scrubber.ScrubText(formatter(s, exception));
                return exceptionText is null ? line : line + Environment.NewLine + exceptionText;
            });
        }
    }
}
