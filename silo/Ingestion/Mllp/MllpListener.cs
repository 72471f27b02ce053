using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HealthcareOrleans.Contracts.Hl7;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Ingestion.Mllp;

/// <summary>
/// HL7 v2 over MLLP: many messages per connection, each answered in order with its ACK once the broker holds it.
/// A stop first refuses new connections, then lets every connection finish the message it is handling (acknowledged
/// or refused) and closes it before reading another; a message only partly received is never acknowledged, so its
/// sender sends it again.
/// </summary>
public sealed partial class MllpListener(Hl7MessageIntake intake, IOptions<Hl7Options> options, ILogger<MllpListener> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Hl7Options _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<int, Task> _connections = [];
    private TcpListener? _listener;
    private X509Certificate2? _certificate;
    private Task? _accepting;
    private int _nextConnection;

    /// <summary>Where the listener accepts connections; null while it is off.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.MllpPort is not { } port)
        {
            return Task.CompletedTask;
        }

        _certificate = Hl7Certificates.Load(_options);
        var address = IPAddress.Parse(_options.MllpAddress);
        _listener = Bind(address, port);
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        var where = Endpoint.ToString();
        var tls = _certificate is null ? string.Empty : " (TLS)";
        var fallback = port != 0 && Endpoint.Port != port ? $" (port {port} is in use)" : string.Empty;
        // Printed like the API key: the person running the embedded profile points their interface engine here.
        Console.WriteLine($"HL7 v2 MLLP listener on {where}{tls}{fallback}");
        LogListening(logger, where, _certificate is not null);
        _accepting = AcceptAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }

        // Cancel before stopping the listener: the pending accept then fails as cancelled, not as an aborted socket
        // that the accept loop would take for a fault.
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections.Values];
        }

        try
        {
            await Task.WhenAll([.. open, _accepting ?? Task.CompletedTask]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopForced(logger, open.Count(t => !t.IsCompleted));
        }
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _certificate?.Dispose();
        _stopping.Dispose();
    }

    private TcpListener Bind(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && _options.FallBackToFreePort)
        {
            listener.Dispose();
            var free = new TcpListener(address, 0);
            free.Start();
            return free;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            throw new InvalidOperationException($"Hl7:MllpPort {port} on {address} is in use by another process; choose another port.", ex);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }

            lock (_connections)
            {
                if (_connections.Count >= _options.MaxConnections)
                {
                    LogTooManyConnections(logger, _options.MaxConnections);
                    client.Dispose();
                    continue;
                }

                var id = ++_nextConnection;
                _connections[id] = ServeAsync(id, client);
            }
        }
    }

    private async Task ServeAsync(int id, TcpClient client)
    {
        await Task.Yield();
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "unknown";
        var messages = 0;
        try
        {
            client.NoDelay = true;
            await using var stream = await OpenAsync(client).ConfigureAwait(false);
            var reader = new MllpFrameReader(stream, _options.MaxFrameBytes);
            while (!_stopping.IsCancellationRequested)
            {
                var frame = await reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                // Not cancelled by a stop: a message the broker may already hold gets its answer.
                var answer = await intake.AcknowledgeAsync(frame).ConfigureAwait(false);
                await MllpFrameReader.WriteAsync(stream, answer.Ack, CancellationToken.None).ConfigureAwait(false);
                messages++;
                if (answer.Reason is not null)
                {
                    LogRefused(logger, answer.Code, answer.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping while waiting for the next frame: nothing is in flight.
        }
        catch (MllpProtocolException ex)
        {
            LogProtocolError(logger, remote, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            LogConnectionLost(logger, remote, ex.Message);
        }
        finally
        {
            client.Dispose();
            lock (_connections)
            {
                _connections.Remove(id);
            }

            LogClosed(logger, remote, messages);
        }
    }

    private async Task<Stream> OpenAsync(TcpClient client)
    {
        var network = client.GetStream();
        if (_certificate is null)
        {
            return network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        handshake.CancelAfter(HandshakeTimeout);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, handshake.Token).ConfigureAwait(false);
        return tls;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HL7 v2 MLLP listener on {Endpoint} (TLS: {Tls})")]
    private static partial void LogListening(ILogger logger, string endpoint, bool tls);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MLLP message answered {Code}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP connection from {Remote} broke the framing and was closed: {Problem}")]
    private static partial void LogProtocolError(ILogger logger, string remote, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "MLLP connection from {Remote} lost: {Problem}")]
    private static partial void LogConnectionLost(ILogger logger, string remote, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MLLP connection from {Remote} closed after {Messages} messages")]
    private static partial void LogClosed(ILogger logger, string remote, int messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP connection refused: {Limit} connections are open (Hl7:MaxConnections)")]
    private static partial void LogTooManyConnections(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP stop timed out with {Open} connections still answering")]
    private static partial void LogStopForced(ILogger logger, int open);
}
