namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Splits a server-sent-event byte stream into events, whatever the chunk boundaries: lines end with
/// <c>\n</c>, <c>\r\n</c> or <c>\r</c> (even when the <c>\r</c> and <c>\n</c> arrive in different
/// chunks); a blank line ends an event; <c>data:</c> lines are joined with <c>\n</c>; comments
/// (<c>:</c>) and other fields (<c>event:</c>, <c>id:</c>, <c>retry:</c>) are ignored. Only the
/// incomplete line and the current event's data are kept; an event larger than the cap is dropped
/// and counted, and framing resumes at the next blank line.
/// </summary>
internal sealed class SseEventFramer : IDisposable
{
    private readonly int _maxEventBytes;
    private PooledByteBuffer _line;
    private PooledByteBuffer _data;
    private bool _lineHasBytes;
    private bool _hasData;
    private bool _skipping;
    private bool _pendingLf;

    public SseEventFramer(int maxEventBytes) => _maxEventBytes = maxEventBytes;

    /// <summary>Events dropped because they exceeded the cap.</summary>
    public int OversizedEventCount { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk, ISseEventHandler handler)
    {
        while (!chunk.IsEmpty)
        {
            if (_pendingLf)
            {
                // The previous chunk ended with '\r': a '\n' here belongs to the same line ending.
                _pendingLf = false;
                if (chunk[0] == (byte)'\n')
                {
                    chunk = chunk[1..];
                    continue;
                }
            }

            int end = chunk.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                AppendPartialLine(chunk);
                return;
            }

            if (_line.Length > 0 || (_skipping && _lineHasBytes))
            {
                AppendPartialLine(chunk[..end]);
                ProcessLine(_line.WrittenSpan, _lineHasBytes, handler);
            }
            else
            {
                ProcessLine(chunk[..end], end > 0, handler);
            }

            _line.Clear();
            _lineHasBytes = false;
            if (chunk[end] == (byte)'\r')
            {
                if (end + 1 < chunk.Length && chunk[end + 1] == (byte)'\n')
                {
                    end++;
                }
                else if (end + 1 == chunk.Length)
                {
                    _pendingLf = true;
                }
            }

            chunk = chunk[(end + 1)..];
        }
    }

    /// <summary>Ends the stream: a last line or event without its terminating blank line is still delivered.</summary>
    public void Complete(ISseEventHandler handler)
    {
        if (_lineHasBytes)
        {
            ProcessLine(_line.WrittenSpan, true, handler);
        }

        ProcessLine(default, false, handler);
        _line.Clear();
        _lineHasBytes = false;
    }

    public void Dispose()
    {
        _line.Dispose();
        _data.Dispose();
    }

    private void AppendPartialLine(ReadOnlySpan<byte> bytes)
    {
        _lineHasBytes |= !bytes.IsEmpty;
        if (_skipping)
        {
            return;
        }

        if ((long)_line.Length + _data.Length + bytes.Length > _maxEventBytes)
        {
            StartSkipping();
            return;
        }

        _line.Append(bytes);
    }

    private void ProcessLine(ReadOnlySpan<byte> line, bool hasBytes, ISseEventHandler handler)
    {
        if (!hasBytes)
        {
            if (_hasData && !_skipping)
            {
                handler.OnEvent(_data.WrittenSpan);
            }

            _skipping = false;
            _hasData = false;
            _data.Clear();
            return;
        }

        if (_skipping || line[0] == (byte)':')
        {
            return;
        }

        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field = colon < 0 ? line : line[..colon];
        if (!field.SequenceEqual("data"u8))
        {
            return;
        }

        ReadOnlySpan<byte> value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if ((long)_data.Length + value.Length + 1 > _maxEventBytes)
        {
            StartSkipping();
            return;
        }

        if (_hasData)
        {
            _data.Append((byte)'\n');
        }

        _data.Append(value);
        _hasData = true;
    }

    private void StartSkipping()
    {
        _skipping = true;
        _hasData = false;
        _line.Clear();
        _data.Clear();
        OversizedEventCount++;
    }
}
