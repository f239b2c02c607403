using System.Runtime.InteropServices;

namespace AIBrix.Runtime.Artifacts.Inventory;

/// <summary>
/// Page-cache residency on Linux: maps the file read-only (<c>mmap(2)</c>, which reads nothing by itself) and asks
/// <c>mincore(2)</c> which of its pages are resident, a window of at most 1 GiB at a time so the vector stays small.
/// <see cref="Create"/> gives this probe on Linux and <see cref="NoPageCacheProbe"/> elsewhere.
/// </summary>
public sealed partial class MincoreProbe : IPageCacheProbe
{
    private const int ProtRead = 0x1;
    private const int MapShared = 0x01;
    private const int OpenReadOnly = 0;
    private const long Window = 1L << 30;
    private static readonly nint MapFailed = -1;

    private MincoreProbe()
    {
    }

    /// <inheritdoc/>
    public string Name => "mincore";

    /// <summary>The probe for this platform.</summary>
    public static IPageCacheProbe Create() => OperatingSystem.IsLinux() ? new MincoreProbe() : new NoPageCacheProbe();

    /// <inheritdoc/>
    public long? ResidentBytes(string path, long length)
    {
        if (length <= 0)
        {
            return 0;
        }

        int fd = Open(path, OpenReadOnly);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            long page = Environment.SystemPageSize;
            long resident = 0;
            byte[] vector = new byte[(int)(Window / page)];
            for (long offset = 0; offset < length; offset += Window)
            {
                long span = Math.Min(Window, length - offset);
                nint address = Mmap(0, (nuint)span, ProtRead, MapShared, fd, offset);
                if (address == MapFailed)
                {
                    return null;
                }

                try
                {
                    if (Mincore(address, (nuint)span, vector) != 0)
                    {
                        return null;
                    }
                }
                finally
                {
                    _ = Munmap(address, (nuint)span);
                }

                long pages = (span + page - 1) / page;
                for (long i = 0; i < pages; i++)
                {
                    if ((vector[i] & 1) != 0)
                    {
                        resident += Math.Min(page, span - (i * page));
                    }
                }
            }

            return resident;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int Mincore(nint address, nuint length, [Out] byte[] vector);
}
