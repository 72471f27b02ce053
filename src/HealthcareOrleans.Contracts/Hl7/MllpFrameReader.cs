namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>One MLLP frame's content; <see cref="Oversize"/> frames keep only their first bytes (enough for an ACK's MSH).</summary>
public sealed record MllpFrame(byte[] Payload, bool Oversize, long Length);

/// <summary>The peer broke MLLP framing (bytes outside a frame, a stream ending inside one): the connection cannot go on.</summary>
public sealed class MllpProtocolException : Exception
{
    public MllpProtocolException()
    {
    }

    public MllpProtocolException(string message) : base(message)
    {
    }

    public MllpProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads MLLP frames (<c>0x0B</c> message <c>0x1C 0x0D</c>, HL7 v2 Transport Specification MLLP release 2) from a
/// stream. CR and LF between frames are tolerated (some senders end a frame with a line break); any other byte
/// outside a frame is a protocol error. A frame longer than the limit is read to its end but kept only in part,
/// so the connection can answer it and go on.
/// </summary>
public sealed class MllpFrameReader(Stream stream, int maxFrameBytes)
{
    public const byte StartBlock = 0x0B;
    public const byte EndBlock = 0x1C;
    public const byte CarriageReturn = 0x0D;

    /// <summary>What an oversize frame keeps: its MSH segment, to address the refusal.</summary>
    private const int OversizeHeadBytes = 4096;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    /// <exception cref="MllpProtocolException">The bytes are not MLLP.</exception>
    public async ValueTask<MllpFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var b = _buffer[_start];
            if (b == StartBlock)
            {
                _start++;
                break;
            }

            if (b is not ((byte)'\r' or (byte)'\n'))
            {
                throw new MllpProtocolException($"byte 0x{b:X2} outside a frame (a frame starts with 0x0B)");
            }

            _start++;
        }

        using var content = new MemoryStream();
        long length = 0;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new MllpProtocolException("the connection closed inside a frame");
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var end = span.IndexOf(EndBlock);
            var chunk = end < 0 ? span : span[..end];
            // Never more than the limit in memory, whatever the peer sends.
            content.Write(chunk[..(int)Math.Min(chunk.Length, Math.Max(0, maxFrameBytes - content.Length))]);
            length += chunk.Length;
            _start += chunk.Length;
            if (end < 0)
            {
                continue;
            }

            _start++;
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new MllpProtocolException("the connection closed between 0x1C and the closing 0x0D");
            }

            if (_buffer[_start] != CarriageReturn)
            {
                throw new MllpProtocolException($"0x1C is followed by 0x{_buffer[_start]:X2}, not 0x0D");
            }

            _start++;
            var oversize = length > maxFrameBytes;
            var payload = content.ToArray();
            return new MllpFrame(oversize ? payload[..Math.Min(payload.Length, OversizeHeadBytes)] : payload, oversize, length);
        }
    }

    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var frame = new byte[message.Length + 3];
        frame[0] = StartBlock;
        message.Span.CopyTo(frame.AsSpan(1));
        frame[^2] = EndBlock;
        frame[^1] = CarriageReturn;
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
