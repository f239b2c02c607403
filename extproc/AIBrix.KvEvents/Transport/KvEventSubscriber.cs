using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Monitoring;
using NetMQ.Sockets;

namespace AIBrix.KvEvents;

/// <summary>
/// Subscribes to one engine's KV event stream (a vLLM <c>--kv-events-config</c> publisher or
/// <c>aibrix-enginesim --kv-events-port</c>), decodes each batch into a handler in sequence order, and keeps
/// the order honest: a jump in the sequence is a gap, filled from the engine's replay socket when it has one
/// (a DEALER sends <c>["", start]</c>, the engine streams <c>["", sequence, payload]</c> until sequence -1) and
/// reported to the handler when it cannot be; a sequence that goes back is a publisher restart; replayed
/// batches that arrive again live are dropped. A handler that is also an <see cref="IKvEventConnectionHandler"/> hears
/// when the connection drops, after which the stream is followed afresh (from <see cref="KvEventSubscriberOptions.ExpectedFirstSequence"/>).
/// Runs on its own poller thread.
/// </summary>
public sealed partial class KvEventSubscriber : IDisposable
{
    private readonly KvEventSubscriberOptions _options;
    private readonly IKvEventStreamHandler _handler;
    private readonly ILogger _logger;
    private readonly KvEventDecoder _decoder = new();
    private readonly SubscriberSocket _sub;
    private readonly NetMQPoller _poller;
    private readonly NetMQMonitor? _monitor;
    private readonly Lock _statsGate = new();
    private DealerSocket? _dealer;
    private KvEventSubscriberStats _stats = new(0, 0, 0, 0, 0, 0, -1);
    private long _expected = -1;
    private long _duplicatesFrom = long.MaxValue;
    private long _duplicatesTo = long.MinValue;
    private int _disposed;

    /// <summary>Connects and starts receiving.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public KvEventSubscriber(KvEventSubscriberOptions options, IKvEventStreamHandler handler, ILogger<KvEventSubscriber>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _handler = handler;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _sub = new SubscriberSocket();
        _sub.Options.ReceiveHighWatermark = options.HighWaterMark;
        _sub.Options.Linger = TimeSpan.Zero;
        _sub.Connect(options.Endpoint);
        _sub.Subscribe(Encoding.UTF8.GetBytes(options.Topic));
        _sub.ReceiveReady += (_, e) => ReceiveLive(e.Socket);
        _poller = new NetMQPoller();
        _poller.Add(_sub);
        if (handler is IKvEventConnectionHandler connection)
        {
            // Socket events on the same poller thread as the batches, so the handler sees them in order.
            _monitor = new NetMQMonitor(_sub, $"inproc://kv-events-monitor-{Guid.NewGuid():N}", SocketEvents.Disconnected);
            _monitor.Disconnected += (_, _) =>
            {
                Update(s => s with { Disconnects = s.Disconnects + 1 });
                // Whoever speaks next (the same publisher, or a restarted one whose first batches went out before
                // we reconnected) is followed as by a new subscriber: from ExpectedFirstSequence, replayed if need be.
                _expected = -1;
                _duplicatesFrom = long.MaxValue;
                _duplicatesTo = long.MinValue;
                connection.OnDisconnected();
            };
            _monitor.AttachToPoller(_poller);
        }

        _poller.RunAsync("kv-events-subscriber");
    }

    /// <summary>The counters so far.</summary>
    public KvEventSubscriberStats Stats
    {
        get
        {
            lock (_statsGate)
            {
                return _stats;
            }
        }
    }

    /// <summary>Stops receiving and closes the sockets.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _poller.Stop();
        _monitor?.Dispose();
        _poller.Dispose();
        _sub.Dispose();
        _dealer?.Dispose();
    }

    private void ReceiveLive(NetMQSocket socket)
    {
        var message = new NetMQMessage();
        while (socket.TryReceiveMultipartMessage(TimeSpan.Zero, ref message))
        {
            if (message.FrameCount != 3 || !KvSequence.TryRead(message[1].ToByteArray(), out long sequence))
            {
                Log.BadFrame(_logger, message.FrameCount);
                continue;
            }

            OnLive(sequence, message[2].ToByteArray());
        }
    }

    private void OnLive(long sequence, byte[] payload)
    {
        if (_expected < 0)
        {
            _expected = _options.ExpectedFirstSequence ?? sequence;
        }

        if (sequence < _expected)
        {
            if (sequence >= _duplicatesFrom && sequence <= _duplicatesTo)
            {
                return; // already delivered by a replay
            }

            Log.Restarted(_logger, _options.Endpoint, _expected, sequence);
            Update(s => s with { Restarts = s.Restarts + 1 });
            _handler.OnPublisherRestarted(sequence);
            // The new publisher's first batches may have gone out before we reconnected: with a replay socket,
            // ask for them from its start, as a late subscriber does.
            _expected = _options.ReplayEndpoint is null ? sequence : 0;
            _duplicatesFrom = long.MaxValue;
            _duplicatesTo = long.MinValue;
        }

        if (sequence > _expected)
        {
            Recover(sequence);
            if (sequence < _expected)
            {
                return; // the replay already went past it
            }
        }

        Deliver(sequence, payload, replayed: false);
        if (sequence > _duplicatesTo)
        {
            _duplicatesFrom = long.MaxValue;
            _duplicatesTo = long.MinValue;
        }
    }

    /// <summary>Fills [expected, <paramref name="live"/>) from the replay socket, reporting what it cannot.</summary>
    private void Recover(long live)
    {
        long lostBefore = Stats.GapsLost;
        if (_options.ReplayEndpoint is { } endpoint)
        {
            Replay(endpoint, _expected);
        }

        if (_expected < live)
        {
            ReportGap(_expected, live);
            _expected = live;
        }

        if (Stats.GapsLost == lostBefore)
        {
            Update(s => s with { GapsRecovered = s.GapsRecovered + 1 });
        }
    }

    private void Replay(string endpoint, long start)
    {
        if (_dealer is null)
        {
            _dealer = new DealerSocket();
            _dealer.Options.Linger = TimeSpan.Zero;
            _dealer.Connect(endpoint);
        }

        _dealer.SendMoreFrameEmpty().SendFrame(KvSequence.ToFrame(start));
        var reply = new NetMQMessage();
        while (true)
        {
            if (!_dealer.TryReceiveMultipartMessage(_options.ReplayTimeout, ref reply))
            {
                // No answer: drop the socket so a late reply cannot be mistaken for the next one.
                Log.ReplayTimedOut(_logger, endpoint, start);
                _dealer.Dispose();
                _dealer = null;
                break;
            }

            if (reply.FrameCount != 3 || !KvSequence.TryRead(reply[1].ToByteArray(), out long sequence))
            {
                Log.BadFrame(_logger, reply.FrameCount);
                continue;
            }

            if (sequence == KvEventWire.EndOfReplay)
            {
                break;
            }

            if (sequence < _expected)
            {
                continue;
            }

            if (sequence > _expected)
            {
                // The publisher's buffer no longer holds the start of the gap.
                ReportGap(_expected, sequence);
            }

            Deliver(sequence, reply[2].ToByteArray(), replayed: true);
        }

        if (_expected > start)
        {
            _duplicatesFrom = start;
            _duplicatesTo = _expected - 1;
        }
    }

    private void ReportGap(long from, long to)
    {
        Log.GapLost(_logger, _options.Endpoint, from, to);
        Update(s => s with { GapsLost = s.GapsLost + 1 });
        _handler.OnGap(from, to);
    }

    private void Deliver(long sequence, byte[] payload, bool replayed)
    {
        if (!_decoder.TryDecode(payload, _handler, out string? error))
        {
            Log.Malformed(_logger, _options.Endpoint, sequence, error!);
            Update(s => s with { Malformed = s.Malformed + 1 });
            _handler.OnMalformed(sequence, error!);
        }

        _expected = sequence + 1;
        Update(s => s with { Batches = s.Batches + 1, Replayed = s.Replayed + (replayed ? 1 : 0), LastSequence = sequence });
    }

    private void Update(Func<KvEventSubscriberStats, KvEventSubscriberStats> change)
    {
        lock (_statsGate)
        {
            _stats = change(_stats);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "KV events: ignored a message of {Frames} frames (expected topic, 8-byte sequence, payload)")]
        public static partial void BadFrame(ILogger logger, int frames);

        [LoggerMessage(2, LogLevel.Warning, "KV events from {Endpoint}: sequence went back from {Expected} to {Sequence}: the publisher restarted")]
        public static partial void Restarted(ILogger logger, string endpoint, long expected, long sequence);

        [LoggerMessage(3, LogLevel.Warning, "KV events from {Endpoint}: batches {From} to {To} (exclusive) are lost")]
        public static partial void GapLost(ILogger logger, string endpoint, long from, long to);

        [LoggerMessage(4, LogLevel.Warning, "KV events replay at {Endpoint} did not answer (from {Start})")]
        public static partial void ReplayTimedOut(ILogger logger, string endpoint, long start);

        [LoggerMessage(5, LogLevel.Warning, "KV events from {Endpoint}: batch {Sequence} is malformed: {Error}")]
        public static partial void Malformed(ILogger logger, string endpoint, long sequence, string error);
    }
}
