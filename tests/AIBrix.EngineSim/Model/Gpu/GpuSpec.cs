namespace AIBrix.EngineSim;

/// <summary>The public specification of one GPU model, as far as LLM serving depends on it.</summary>
/// <param name="Name">Short name used on the command line (<c>--gpu A10</c>).</param>
/// <param name="MemoryGiB">Memory capacity from the datasheet.</param>
/// <param name="MemoryBandwidthGBps">Peak memory bandwidth in GB/s (10^9 bytes per second).</param>
/// <param name="DenseBf16Tflops">Peak dense (not 2:4 sparse) BF16/FP16 tensor-core throughput in TFLOPS.</param>
/// <param name="EccReservedFraction">
/// Memory the driver keeps back for ECC. GDDR6 boards store ECC inline and lose 1/16 of their memory when ECC is on
/// (the datacenter default: a 24 GB A10 shows 23,028 MiB); HBM keeps ECC aside and loses none.
/// </param>
public sealed record GpuSpec(string Name, double MemoryGiB, double MemoryBandwidthGBps, double DenseBf16Tflops, double EccReservedFraction)
{
    /// <summary>Bytes a process can allocate on the board.</summary>
    public double UsableMemoryBytes => MemoryGiB * (1 - EccReservedFraction) * (1L << 30);

    /// <summary>Peak bytes per second.</summary>
    public double BandwidthBytesPerSecond => MemoryBandwidthGBps * 1e9;

    /// <summary>Peak dense BF16 FLOPs per second.</summary>
    public double FlopsPerSecond => DenseBf16Tflops * 1e12;
}
