namespace AIBrix.KvEvents;

/// <summary>Where an engine hands each step's cache changes: a ZeroMQ publisher, or an in-process stream in virtual time.</summary>
public interface IKvEventSink
{
    /// <summary>Takes one batch; must not block (the engine's step loop calls it).</summary>
    void Publish(KvEventBatch batch);
}
