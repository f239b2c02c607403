using System.Diagnostics;
using System.Threading.Channels;

namespace AIBrix.EngineSim;

/// <summary>
/// Runs an <see cref="EngineModel"/> on the wall clock (times <c>timeScale</c>) and delivers each request's events
/// through its own channel. One lock guards the model; the loop sleeps until the next step ends or a request arrives.
/// </summary>
internal sealed class EngineDriver : IAsyncDisposable
{
    private static readonly TimeSpan MinimumSleep = TimeSpan.FromMilliseconds(1);
    private readonly Lock _gate = new();
    private readonly EngineModel _model;
    private readonly double _timeScale;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<EngineEvent> _buffer = [];
    private readonly Task _loop;

    public EngineDriver(EngineModel model, double timeScale)
    {
        _model = model;
        _timeScale = timeScale;
        _loop = Task.Run(RunAsync);
    }

    public EngineModel Model => _model;

    /// <summary>Simulated seconds since the driver started.</summary>
    public double VirtualNow => Stopwatch.GetElapsedTime(_start).TotalSeconds * _timeScale;

    public ChannelReader<EngineEvent> Submit(EngineRequest request)
    {
        var channel = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        request.State = channel.Writer;
        lock (_gate)
        {
            _model.Submit(request, VirtualNow);
            DispatchLocked();
        }

        _wake.Release();
        return channel.Reader;
    }

    public void Abort(EngineRequest request)
    {
        lock (_gate)
        {
            _model.Abort(request);
            DispatchLocked();
        }

        _wake.Release();
    }

    public T Read<T>(Func<EngineModel, T> read)
    {
        lock (_gate)
        {
            _model.AdvanceTo(VirtualNow);
            DispatchLocked();
            return read(_model);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            double next;
            double now;
            lock (_gate)
            {
                now = VirtualNow;
                _model.AdvanceTo(now);
                DispatchLocked();
                next = _model.NextEventTime;
            }

            var sleep = double.IsPositiveInfinity(next)
                ? Timeout.InfiniteTimeSpan
                : TimeSpan.FromSeconds(Math.Max((next - now) / _timeScale, MinimumSleep.TotalSeconds));
            try
            {
                await _wake.WaitAsync(sleep, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void DispatchLocked()
    {
        if (_model.PendingEventCount == 0)
        {
            return;
        }

        _model.DrainEvents(_buffer);
        foreach (var e in _buffer)
        {
            var writer = (ChannelWriter<EngineEvent>)e.Request.State!;
            writer.TryWrite(e);
            if (e.Kind == EngineEventKind.Finished)
            {
                writer.TryComplete();
            }
        }

        _buffer.Clear();
    }
}
