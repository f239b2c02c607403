using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AIBrix.Cli;
using AIBrix.Runtime.Artifacts;

namespace AIBrix.Bench.Downloads;

/// <summary>
/// <c>aibrix-bench downloads</c>: the artifact downloader against plain <c>curl</c> fetching the same files from the
/// same loopback server (a static Hugging Face Hub on Kestrel). Each run starts from an empty destination; the
/// medians of the runs and their ratio go to stdout as JSON.
/// </summary>
public static class DownloadBenchCommand
{
    /// <summary>The <c>downloads</c> command.</summary>
    public static Command CreateCommand()
    {
        var files = CliOptions.Int("--files", 4, "files in the repository", min: 1);
        var fileMb = CliOptions.Int("--file-mb", 100, "size of each file in MiB", min: 1, helpName: "MIB");
        var runs = CliOptions.Int("--runs", 3, "runs of each side (medians reported)", min: 1);
        var parallelism = CliOptions.Int("--parallelism", 4, "downloader Parallelism", min: 1);
        var chunkMb = CliOptions.Int("--chunk-mb", 16, "downloader ChunkBytes in MiB", min: 1, helpName: "MIB");
        var checksums = new Option<bool>("--checksums") { Description = "list LFS SHA-256s, so the downloader verifies every file (curl does not)" };
        var command = new Command("downloads", "artifact downloader vs plain curl from a loopback Hugging Face Hub: throughput and ratio")
        {
            files, fileMb, runs, parallelism, chunkMb, checksums,
        };
        command.SetAction(result => RunAsync(result.GetValue(files), result.GetValue(fileMb), result.GetValue(runs),
            result.GetValue(parallelism), result.GetValue(chunkMb), result.GetValue(checksums)));
        return command;
    }

    private static async Task<int> RunAsync(int files, int fileMb, int runs, int parallelism, int chunkMb, bool checksums)
    {
        string root = Path.Combine(Path.GetTempPath(), "aibrix-download-bench-" + Environment.ProcessId);
        string source = Path.Combine(root, "source");
        Directory.CreateDirectory(source);
        try
        {
            long total = (long)files * fileMb * 1024 * 1024;
            await Console.Error.WriteLineAsync($"writing {files} x {fileMb} MiB under {source}");
            byte[] block = new byte[1024 * 1024];
            for (int i = 0; i < files; i++)
            {
                using FileStream stream = File.Create(Path.Combine(source, $"model-{i + 1:00000}-of-{files:00000}.safetensors"));
                for (int mb = 0; mb < fileMb; mb++)
                {
                    Random.Shared.NextBytes(block);
                    stream.Write(block);
                }
            }

            await using LocalHubServer hub = await LocalHubServer.StartAsync(source, checksums);
            var options = new ArtifactDownloaderOptions
            {
                HuggingFaceEndpoint = hub.Endpoint,
                HuggingFaceToken = "",
                Parallelism = parallelism,
                ChunkBytes = (long)chunkMb * 1024 * 1024,
                LockDirectory = Path.Combine(root, "locks"),
            };
            using var downloader = new ArtifactDownloader(options);
            string[] names = Directory.GetFiles(source).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
            var curl = new List<double>();
            var ours = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                string curlDest = Path.Combine(root, "curl");
                Directory.CreateDirectory(curlDest);
                var clock = Stopwatch.StartNew();
                foreach (string name in names)
                {
                    using Process process = Process.Start(new ProcessStartInfo("curl",
                        ["-sS", "--fail", "-o", Path.Combine(curlDest, name), new Uri(hub.Endpoint, "bench/model/resolve/main/" + name).AbsoluteUri]))!;
                    await process.WaitForExitAsync();
                    if (process.ExitCode != 0)
                    {
                        await Console.Error.WriteLineAsync($"{Program.Tool}: curl failed with exit code {process.ExitCode}");
                        return 1;
                    }
                }

                curl.Add(clock.Elapsed.TotalSeconds);
                Directory.Delete(curlDest, recursive: true);

                string dest = Path.Combine(root, "ours");
                DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("hf://bench/model", dest));
                ours.Add(result.Elapsed.TotalSeconds);
                Directory.Delete(dest, recursive: true);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1}: curl {curl[^1]:F2} s, downloader {ours[^1]:F2} s"));
            }

            double curlMedian = Median(curl);
            double oursMedian = Median(ours);
            double mib = total / 1048576.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bytes\":{total},\"files\":{files},\"runs\":{runs},\"parallelism\":{parallelism},\"chunk_mib\":{chunkMb},\"checksums\":{(checksums ? "true" : "false")}," +
                $"\"curl_median_s\":{curlMedian:F3},\"curl_mib_s\":{mib / curlMedian:F1}," +
                $"\"downloader_median_s\":{oursMedian:F3},\"downloader_mib_s\":{mib / oursMedian:F1}," +
                $"\"throughput_ratio\":{curlMedian / oursMedian:F2}}}"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
