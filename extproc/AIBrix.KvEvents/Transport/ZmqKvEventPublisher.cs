using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace AIBrix.KvEvents;

/// <summary>
/// Publishes KV event batches as vLLM's <c>ZmqEventPublisher</c> does: a PUB socket sends
/// <c>[topic, sequence (8 bytes, big-endian), msgpack payload]</c>, numbered from 0; the last
/// <see cref="KvEventPublisherOptions.ReplayBufferSteps"/> payloads are kept, and a ROUTER socket answers
/// <c>[identity, "", start sequence]</c> with every kept batch from there, <c>[identity, "", sequence,
/// payload]</c> each, then <c>[identity, "", -1, ""]</c>. Sockets live on one poller thread;
/// <see cref="Publish"/> only enqueues, so the engine's step loop never waits on the network.
/// </summary>
public sealed partial class ZmqKvEventPublisher : IKvEventSink, IDisposable
{
    private readonly KvEventPublisherOptions _options;
    private readonly KvEventEncoder _encoder;
    private readonly byte[] _topic;
    private readonly PublisherSocket _pub;
    private readonly RouterSocket? _replay;
    private readonly NetMQQueue<KvEventBatch> _queue = new();
    private readonly NetMQPoller _poller;
    private readonly (long Sequence, byte[] Payload)[] _ring;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly ILogger _logger;
    private long _next;
    private int _disposed;

    /// <summary>Binds the sockets and starts the poller thread.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="NetMQException">An endpoint cannot be bound (port in use).</exception>
    public ZmqKvEventPublisher(KvEventPublisherOptions options, ILogger<ZmqKvEventPublisher>? logger = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _encoder = new KvEventEncoder(options.Encoding);
        _topic = Encoding.UTF8.GetBytes(options.Topic);
        _ring = new (long, byte[])[options.ReplayBufferSteps];
        _pub = new PublisherSocket();
        _pub.Options.SendHighWatermark = options.HighWaterMark;
        _pub.Options.Linger = TimeSpan.Zero;
        try
        {
            BoundEndpoint = KvSequence.Bind(_pub, options.Endpoint);
            if (options.ReplayEndpoint is { } replay)
            {
                _replay = new RouterSocket();
                _replay.Options.Linger = TimeSpan.Zero;
                BoundReplayEndpoint = KvSequence.Bind(_replay, replay);
                _replay.ReceiveReady += (_, e) => ServeReplay(e.Socket);
            }
        }
        catch
        {
            _pub.Dispose();
            _replay?.Dispose();
            throw;
        }

        _queue.ReceiveReady += (_, e) => Drain(e.Queue);
        _poller = new NetMQPoller();
        _poller.Add(_queue);
        if (_replay is not null)
        {
            _poller.Add(_replay);
        }

        _poller.RunAsync("kv-events-publisher");
        Log.Started(_logger, BoundEndpoint, BoundReplayEndpoint ?? "none");
    }

    /// <summary>The PUB endpoint subscribers connect to (<c>*</c> shown as 127.0.0.1, port 0 resolved).</summary>
    public string BoundEndpoint { get; }

    /// <summary>The replay endpoint, or null.</summary>
    public string? BoundReplayEndpoint { get; }

    /// <summary>Batches sent so far (the next sequence number).</summary>
    public long Published => Interlocked.Read(ref _next);

    /// <inheritdoc/>
    public void Publish(KvEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Volatile.Read(ref _disposed) == 0)
        {
            _queue.Enqueue(batch);
        }
    }

    /// <summary>Stops the poller after sending what was queued, and closes the sockets.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // On the poller thread (the sockets' owner), so what was queued is sent before the sockets close.
        Task.Factory.StartNew(() => Drain(_queue), CancellationToken.None, TaskCreationOptions.None, _poller).Wait();
        _poller.Stop();
        _poller.Dispose();
        _pub.Dispose();
        _replay?.Dispose();
        _queue.Dispose();
    }

    private void Drain(NetMQQueue<KvEventBatch> queue)
    {
        while (queue.TryDequeue(out var batch, TimeSpan.Zero))
        {
            if (batch.DataParallelRank is null)
            {
                batch = batch with { DataParallelRank = _options.DataParallelRank };
            }

            _buffer.ResetWrittenCount();
            _encoder.Encode(batch, _buffer);
            byte[] payload = _buffer.WrittenSpan.ToArray();
            long sequence = _next;
            _pub.SendMoreFrame(_topic).SendMoreFrame(KvSequence.ToFrame(sequence)).SendFrame(payload);
            _ring[sequence % _ring.Length] = (sequence, payload);
            Interlocked.Increment(ref _next);
        }
    }

    private void ServeReplay(NetMQSocket router)
    {
        var request = new NetMQMessage();
        while (router.TryReceiveMultipartMessage(TimeSpan.Zero, ref request))
        {
            if (request.FrameCount != 3 || !KvSequence.TryRead(request[2].Buffer.AsSpan(0, request[2].MessageSize), out long start))
            {
                Log.BadReplayRequest(_logger, request.FrameCount);
                continue;
            }

            byte[] identity = request[0].ToByteArray();
            long first = Math.Max(Math.Max(start, 0), _next - _ring.Length);
            for (long sequence = first; sequence < _next; sequence++)
            {
                var (kept, payload) = _ring[sequence % _ring.Length];
                if (kept == sequence && payload is not null)
                {
                    router.SendMoreFrame(identity).SendMoreFrameEmpty().SendMoreFrame(KvSequence.ToFrame(sequence)).SendFrame(payload);
                }
            }

            router.SendMoreFrame(identity).SendMoreFrameEmpty().SendMoreFrame(KvSequence.ToFrame(KvEventWire.EndOfReplay)).SendFrame([]);
            Log.Replayed(_logger, start, _next - first);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "KV events published on {Endpoint} (replay: {ReplayEndpoint})")]
        public static partial void Started(ILogger logger, string endpoint, string replayEndpoint);

        [LoggerMessage(2, LogLevel.Warning, "KV events replay: ignored a request of {Frames} frames (expected identity, empty, 8-byte sequence)")]
        public static partial void BadReplayRequest(ILogger logger, int frames);

        [LoggerMessage(3, LogLevel.Debug, "KV events replay from {Start}: {Count} batches")]
        public static partial void Replayed(ILogger logger, long start, long count);
    }
}
