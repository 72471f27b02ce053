using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>An ACK as a sender reads it: MSA-1, MSA-2 and the refusal's text (ERR-8, else MSA-3).</summary>
public sealed record Hl7Ack(string Code, string? AcknowledgedControlId, string? Text);

/// <summary>
/// The sending side of MLLP: one connection, one message at a time, each waiting for its ACK (what interface
/// engines do by default, and what keeps a feed's order).
/// </summary>
public sealed class MllpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly MllpFrameReader _reader;

    private MllpClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = new MllpFrameReader(stream, 1024 * 1024);
    }

    /// <param name="tls">Null for plain TCP; otherwise TLS, validated against the system's roots plus <paramref name="trustedCertificate"/>.</param>
    public static async Task<MllpClient> ConnectAsync(string host, int port, bool tls = false, X509Certificate2? trustedCertificate = null, CancellationToken cancellationToken = default)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(certificate, chain, errors, trustedCertificate),
                }, cancellationToken).ConfigureAwait(false);
                stream = ssl;
            }

            return new MllpClient(tcp, stream);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <exception cref="MllpProtocolException">The connection closed before the ACK, or the answer is not an ACK.</exception>
    /// <exception cref="TimeoutException">No ACK within <paramref name="timeout"/>.</exception>
    public async Task<Hl7Ack> SendAsync(ReadOnlyMemory<byte> message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await MllpFrameReader.WriteAsync(_stream, message, deadline.Token).ConfigureAwait(false);
            var frame = await _reader.ReadAsync(deadline.Token).ConfigureAwait(false)
                ?? throw new MllpProtocolException("the listener closed the connection without an answer");
            return Read(frame.Payload);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no ACK within {timeout.TotalSeconds:0} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }

    public static Hl7Ack Read(byte[] ack)
    {
        var parsed = Er7Parser.Parse(ack, DecodeLimits.Default);
        if (parsed.Message?.First("MSA") is not { } msa || msa.Value(1) is not { } code)
        {
            throw new MllpProtocolException($"the answer is not an HL7 ACK ({parsed.Reason ?? "no MSA-1"})");
        }

        var text = parsed.Message.First("ERR")?.Value(8) ?? msa.Value(3);
        return new Hl7Ack(code, msa.Value(2), text);
    }

    private static bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2? trusted)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (trusted is null || certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return custom.Build(presented) || presented.Thumbprint == trusted.Thumbprint;
    }
}
