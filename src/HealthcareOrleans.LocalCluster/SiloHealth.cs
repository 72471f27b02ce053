using System.Diagnostics;

namespace HealthcareOrleans.LocalCluster;

/// <summary>A silo's <c>/healthz/ready</c>: OK once it is an active cluster member (before that it owns no partitions).</summary>
public static class SiloHealth
{
    public static async Task<bool> IsReadyAsync(HttpClient http, Uri baseAddress)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "/healthz/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not listening yet, or too busy starting to answer.
            return false;
        }
    }

    /// <summary>Polls until the silo is ready; throws when its process exits first or it is not ready within <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilReadyAsync(ChildProcess silo, HttpClient http, Uri baseAddress, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!await IsReadyAsync(http, baseAddress))
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"{silo.Name} exited with code {silo.ExitCode} while starting; see {silo.LogFile}.");
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{silo.Name} was not ready within {timeout.TotalSeconds:0} s; see {silo.LogFile}.");
            }

            await Task.Delay(100);
        }
    }
}
