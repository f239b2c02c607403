using NetMQ;
using NetMQ.Sockets;

namespace AIBrix.KvEvents.Tests.Transport;

/// <summary>The subscriber and the publisher over real ZeroMQ sockets on loopback, on ports the OS picks.</summary>
public sealed class KvEventSubscriberTests
{
    private static readonly KvEventEncoder Encoder = new();

    private static KvEventBatch Removed(long i) => new(i, [new BlockRemoved([(ulong)i])]);

    private static List<string> Expected(long from, long to) => [.. Enumerable.Range((int)from, (int)(to - from)).Select(i => $"removed {i}")];

    /// <summary>Publishes one more batch at a time until the subscriber has taken one live (it joins asynchronously).</summary>
    private static long PublishUntilDelivered(ZmqKvEventPublisher publisher, KvEventSubscriber subscriber, long next)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            publisher.Publish(Removed(next++));
            if (Eventually.Within(TimeSpan.FromMilliseconds(200), () => subscriber.Stats.LastSequence == next - 1))
            {
                return next;
            }
        }

        Assert.Fail("the subscriber never received a live batch");
        return next;
    }

    private static ZmqKvEventPublisher Publisher(int bufferSteps = 100) => new(new KvEventPublisherOptions
    {
        Endpoint = "tcp://127.0.0.1:0",
        ReplayEndpoint = "tcp://127.0.0.1:0",
        ReplayBufferSteps = bufferSteps,
    });

    [Fact]
    public void Subscribe_LateFromZero_ReplaysWhatItMissedThenGoesLiveInOrder()
    {
        using var publisher = Publisher();
        for (int i = 0; i < 10; i++)
        {
            publisher.Publish(Removed(i));
        }

        Eventually.True(() => publisher.Published == 10, "publishing 10 batches");
        var handler = new RecordingHandler();
        using var subscriber = new KvEventSubscriber(new KvEventSubscriberOptions
        {
            Endpoint = publisher.BoundEndpoint, ReplayEndpoint = publisher.BoundReplayEndpoint, ExpectedFirstSequence = 0,
        }, handler);

        long next = PublishUntilDelivered(publisher, subscriber, 10);

        Assert.Equal(Expected(0, next), handler.Log);
        var stats = subscriber.Stats;
        Assert.Equal((next, 0L, 1L), (stats.Batches, stats.GapsLost, stats.GapsRecovered));
        Assert.True(stats.Replayed >= 10, $"replayed {stats.Replayed}");
        Assert.Empty(handler.Gaps);
        Assert.Equal([0], handler.Ranks.Distinct());
    }

    [Fact]
    public void Subscribe_ReplayBufferTooShort_ReportsTheLostRangeAndContinues()
    {
        using var publisher = Publisher(bufferSteps: 4);
        for (int i = 0; i < 10; i++)
        {
            publisher.Publish(Removed(i));
        }

        Eventually.True(() => publisher.Published == 10, "publishing 10 batches");
        var handler = new RecordingHandler();
        using var subscriber = new KvEventSubscriber(new KvEventSubscriberOptions
        {
            Endpoint = publisher.BoundEndpoint, ReplayEndpoint = publisher.BoundReplayEndpoint, ExpectedFirstSequence = 0,
        }, handler);

        long next = PublishUntilDelivered(publisher, subscriber, 10);

        var gap = Assert.Single(handler.Gaps);
        Assert.Equal(0, gap.From);
        Assert.InRange(gap.To, 7, next - 1);
        Assert.Equal(Expected(gap.To, next), handler.Log);
        Assert.Equal(1, subscriber.Stats.GapsLost);
    }

    [Fact]
    public void Replay_RawDealer_StreamsKeptBatchesThenTheEndMarker()
    {
        using var publisher = Publisher(bufferSteps: 100);
        for (int i = 0; i < 5; i++)
        {
            publisher.Publish(Removed(i));
        }

        Eventually.True(() => publisher.Published == 5, "publishing 5 batches");
        using var dealer = new DealerSocket();
        dealer.Connect(publisher.BoundReplayEndpoint!);
        dealer.SendMoreFrameEmpty().SendFrame(new byte[] { 0, 0, 0, 0, 0, 0, 0, 2 });

        var sequences = new List<long>();
        var decoder = new KvEventDecoder();
        while (true)
        {
            var reply = new NetMQMessage();
            Assert.True(dealer.TryReceiveMultipartMessage(TimeSpan.FromSeconds(20), ref reply), "no replay answer");
            Assert.Equal(3, reply.FrameCount);
            Assert.Equal(0, reply[0].MessageSize);
            long sequence = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(reply[1].ToByteArray());
            if (sequence == -1)
            {
                Assert.Equal(0, reply[2].MessageSize);
                break;
            }

            Assert.True(decoder.TryDecode(reply[2].ToByteArray(), out var batch, out _));
            Assert.Equal([(ulong)sequence], ((BlockRemoved)batch!.Events[0]).BlockHashes);
            sequences.Add(sequence);
        }

        Assert.Equal([2L, 3L, 4L], sequences);
    }

    /// <summary>A raw XPUB socket plays a publisher whose messages the test controls one by one.</summary>
    private sealed class RawPublisher : IDisposable
    {
        private readonly XPublisherSocket _socket = new();

        public RawPublisher()
        {
            _socket.Options.Linger = TimeSpan.Zero;
            Endpoint = $"tcp://127.0.0.1:{_socket.BindRandomPort("tcp://127.0.0.1")}";
        }

        public string Endpoint { get; }

        /// <summary>Waits for the subscriber's subscription, so nothing sent next is lost to a slow join.</summary>
        public void AwaitSubscriber() =>
            Assert.True(_socket.TryReceiveFrameBytes(TimeSpan.FromSeconds(20), out byte[]? subscription) && subscription[0] == 1, "no subscription");

        public void Send(long sequence, byte[] payload)
        {
            var frame = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(frame, sequence);
            _socket.SendMoreFrame([]).SendMoreFrame(frame).SendFrame(payload);
        }

        public void Send(long sequence) => Send(sequence, Encoder.Encode(Removed(sequence)));

        public void Dispose() => _socket.Dispose();
    }

    private static (RawPublisher, KvEventSubscriber, RecordingHandler) Raw()
    {
        var raw = new RawPublisher();
        var handler = new RecordingHandler();
        var subscriber = new KvEventSubscriber(new KvEventSubscriberOptions { Endpoint = raw.Endpoint }, handler);
        raw.AwaitSubscriber();
        return (raw, subscriber, handler);
    }

    [Fact]
    public void Subscribe_SkippedSequenceWithoutReplay_GapReported()
    {
        var (raw, subscriber, handler) = Raw();
        using (raw)
        using (subscriber)
        {
            raw.Send(0);
            raw.Send(1);
            raw.Send(3);
            Eventually.True(() => subscriber.Stats.LastSequence == 3, "receiving batch 3");

            Assert.Equal(["removed 0", "removed 1", "removed 3"], handler.Log);
            Assert.Equal([(2L, 3L)], handler.Gaps);
        }
    }

    [Fact]
    public void Subscribe_SequenceGoesBack_PublisherRestartReported()
    {
        var (raw, subscriber, handler) = Raw();
        using (raw)
        using (subscriber)
        {
            raw.Send(5);
            raw.Send(6);
            raw.Send(0);
            raw.Send(1);
            Eventually.True(() => subscriber.Stats.Batches == 4, "receiving 4 batches");

            Assert.Equal(["removed 5", "removed 6", "removed 0", "removed 1"], handler.Log);
            Assert.Equal([0L], handler.Restarts);
            Assert.Empty(handler.Gaps);
        }
    }

    [Fact]
    public void Subscribe_UndecodablePayload_ReportedAndTheStreamGoesOn()
    {
        var (raw, subscriber, handler) = Raw();
        using (raw)
        using (subscriber)
        {
            raw.Send(0);
            raw.Send(1, [0xc1]);
            raw.Send(2);
            Eventually.True(() => subscriber.Stats.LastSequence == 2, "receiving batch 2");

            Assert.Equal(["removed 0", "removed 2"], handler.Log);
            Assert.StartsWith("1: ", Assert.Single(handler.Malformed), StringComparison.Ordinal);
            Assert.Empty(handler.Gaps);
        }
    }

    [Fact]
    public void Constructor_BadEndpoints_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new KvEventSubscriber(
            new KvEventSubscriberOptions { Endpoint = "udp://x:1", ReplayEndpoint = "tcp://h:0", ExpectedFirstSequence = -1 }, new RecordingHandler()));

        Assert.Contains("'udp://x:1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'tcp://h:0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("first sequence", error.Message, StringComparison.Ordinal);
    }
}
