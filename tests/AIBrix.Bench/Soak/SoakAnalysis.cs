namespace AIBrix.Bench.Soak;

/// <summary>One request classified: its outcome (ok, limited, refused as expected, failed) and, for a failure, its cause.</summary>
public readonly record struct Classified(SoakRecord Record, string Outcome, string? Cause);

/// <summary>A memory sample of one gateway replica.</summary>
public readonly record struct MemorySample(string Replica, int Generation, double Seconds, double RssMb, double HeapMb);

/// <summary>
/// The soak's verdicts, as pure functions of what was recorded: outcomes and causes, limit violations recomputed
/// from the admitted requests, least-squares memory slopes.
/// </summary>
public static class SoakAnalysis
{
    public const string Ok = "ok";

    /// <summary>Refused by a limit (429): what limits are for.</summary>
    public const string Limited = "limited";

    /// <summary>A hostile request refused with the status it deserves.</summary>
    public const string Refused = "refused";

    public const string Failed = "failed";

    public const string Unexplained = "unexplained";

    /// <summary>The statuses a request of <paramref name="kind"/> may get without anything being wrong.</summary>
    public static bool Expected(RequestKind kind, int status) => kind switch
    {
        RequestKind.Malformed => status == 400,
        RequestKind.UnknownModel => status == 404,
        RequestKind.BadKey => status == 401,
        RequestKind.HugeBody => status == 413,
        // RPM is checked before TPM: while the tight user's minute is full, even a request that could never fit is a 429.
        RequestKind.TooManyTokens => status is 413 or 429,
        _ => status is 200 or 429,
    };

    /// <summary>Classifies every request; a failure is laid to the fault active (or in its grace time) while it ran, else "unexplained".</summary>
    public static List<Classified> Classify(IEnumerable<SoakRecord> records, IReadOnlyList<FaultEvent> faults)
    {
        var result = new List<Classified>();
        foreach (var r in records)
        {
            if (Expected(r.Kind, r.Status))
            {
                string outcome = r.Status == 429 ? Limited : r.Kind >= RequestKind.Malformed && r.Kind != RequestKind.OverLimit ? Refused : Ok;
                result.Add(new Classified(r, outcome, null));
                continue;
            }

            // The most recent fault that began before the request ended and whose effects could still last when it started.
            // A refusal for want of Redis goes to a Redis restart when one is suspect.
            var suspects = faults.Where(f => f.StartSeconds <= r.End && r.Start <= f.BlameUntil).ToList();
            var fault = r.Error == "limits_unavailable" && suspects.LastOrDefault(f => f.Kind is FaultKind.RedisRestart or FaultKind.RedisPrimaryKill) is { } redis ? redis : suspects.LastOrDefault();
            result.Add(new Classified(r, Failed, fault?.Label ?? Unexplained));
        }

        return result;
    }

    /// <summary>
    /// Splits the requests at the measured start (time 0): those that started in the warm-up are classified without
    /// faults and returned apart (reported, not judged: a failure there is the cold start's), the rest as
    /// <see cref="Classify"/> does.
    /// </summary>
    public static (List<Classified> Measured, List<Classified> Warmup) ClassifySplit(IEnumerable<SoakRecord> records, IReadOnlyList<FaultEvent> faults)
    {
        var all = records.ToList();
        return (Classify(all.Where(r => r.Start >= 0), faults), Classify(all.Where(r => r.Start < 0), []));
    }

    /// <summary>What went wrong with a failed request, for the report: <c>503 limits_unavailable</c>, <c>timeout</c>...</summary>
    public static string Symptom(SoakRecord r) => r.Status == 0 ? r.Error ?? "no answer" : $"{r.Status} {r.Error}".TrimEnd();

    /// <summary>A limit violation: more admitted in under a minute than the user's limit.</summary>
    public sealed record Violation(string User, string Limit, double WindowStart, long Admitted, long Allowed);

    /// <summary>
    /// Requests admitted beyond a user's RPM or TPM. The limiter decides at an instant between a request's start and
    /// its end; only requests that certainly were admitted (2xx) count, and a window holds the requests whose whole
    /// interval [start, end] lies within less than 60 s, so every one of them was inside the limiter's sliding
    /// minute when the last was admitted: an excess is a real violation, never an artefact of timing. TPM counts the
    /// tokens charged (the usage the engine reported), which the limiter must keep under the limit.
    /// </summary>
    public static List<Violation> Violations(IEnumerable<SoakRecord> records, IReadOnlyList<SoakUser> users, double windowSeconds = 60)
    {
        var violations = new List<Violation>();
        double span = windowSeconds - 0.05; // 50 ms under the window: clocks of the client and Redis on one host
        foreach (var user in users)
        {
            var admitted = records.Where(r => r.User == user.Name && r.Admitted).OrderBy(r => r.Start).ToArray();
            Violation? worstRpm = null, worstTpm = null;
            for (int i = 0; i < admitted.Length; i++)
            {
                double from = admitted[i].Start;
                long count = 0, tokens = 0;
                for (int j = i; j < admitted.Length && admitted[j].Start < from + span; j++)
                {
                    if (admitted[j].End < from + span)
                    {
                        count++;
                        tokens += admitted[j].Tokens;
                    }
                }

                if (user.Rpm > 0 && count > user.Rpm && (worstRpm is null || count > worstRpm.Admitted))
                {
                    worstRpm = new Violation(user.Name, "rpm", from, count, user.Rpm);
                }

                if (user.Tpm > 0 && tokens > user.Tpm && (worstTpm is null || tokens > worstTpm.Admitted))
                {
                    worstTpm = new Violation(user.Name, "tpm", from, tokens, user.Tpm);
                }
            }

            if (worstRpm is not null)
            {
                violations.Add(worstRpm);
            }

            if (worstTpm is not null)
            {
                violations.Add(worstTpm);
            }
        }

        return violations;
    }

    /// <summary>Least-squares slope of y over x (per unit of x); 0 with fewer than two distinct x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return 0;
        }

        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxx = points.Sum(p => (p.X - mx) * (p.X - mx)), sxy = points.Sum(p => (p.X - mx) * (p.Y - my));
        return sxx == 0 ? 0 : sxy / sxx;
    }

    /// <summary>
    /// A replica's memory trend over its longest life (after a 20 s warm-up): RSS and GC heap at the start and end,
    /// least-squares slopes through every sample (MB/min, for the record), and the slopes of the <b>floors</b>: the
    /// lowest sample of each <see cref="FloorWindowSeconds"/> window. The GC heap is a sawtooth (it grows between
    /// collections and drops after each); a line through the teeth moves with where the last tooth happened to stop,
    /// while the floor is what survives collections: live objects. A managed leak raises the floor, so the leak
    /// verdict is the floor's slope.
    /// </summary>
    public sealed record MemoryTrend(string Replica, double RssStartMb, double RssEndMb, double HeapEndMb, double RssSlope, double HeapSlope, double Minutes)
    {
        /// <summary>Slope of the GC heap's floor (MB/min): the leak verdict.</summary>
        public double HeapFloorSlope { get; init; }

        /// <summary>Slope of RSS's floor (MB/min), reported: RSS also grows while the runtime sizes its pools and GC regions.</summary>
        public double RssFloorSlope { get; init; }

        /// <summary>The GC heap's floor in the first and last window (MB).</summary>
        public double HeapFloorStartMb { get; init; }

        public double HeapFloorEndMb { get; init; }
    }

    /// <summary>Width of the windows whose minima make a floor: many sawtooth periods at any soak rate, 15 samples at 2 s.</summary>
    public const double FloorWindowSeconds = 30;

    public static List<MemoryTrend> Trends(IEnumerable<MemorySample> samples)
    {
        var trends = new List<MemoryTrend>();
        foreach (var replica in samples.GroupBy(s => s.Replica))
        {
            var life = replica.GroupBy(s => s.Generation).Select(g => g.OrderBy(s => s.Seconds).ToList()).MaxBy(g => g[^1].Seconds - g[0].Seconds)!;
            // After 20 s of the process's life and after the soak's warm-up (negative times), when there is a warm-up.
            var fitted = life.Where(s => s.Seconds >= Math.Max(life[0].Seconds + 20, Math.Min(0, life[^1].Seconds))).ToList();
            if (fitted.Count < 2)
            {
                fitted = life;
            }

            double minutes = (fitted[^1].Seconds - fitted[0].Seconds) / 60;
            var heapFloor = Floor(fitted, s => s.HeapMb);
            var rssFloor = Floor(fitted, s => s.RssMb);
            trends.Add(new MemoryTrend(replica.Key, fitted[0].RssMb, fitted[^1].RssMb, fitted[^1].HeapMb,
                Slope([.. fitted.Select(s => (s.Seconds / 60, s.RssMb))]), Slope([.. fitted.Select(s => (s.Seconds / 60, s.HeapMb))]), minutes)
            {
                HeapFloorSlope = Slope(heapFloor),
                RssFloorSlope = Slope(rssFloor),
                HeapFloorStartMb = heapFloor[0].Y,
                HeapFloorEndMb = heapFloor[^1].Y,
            });
        }

        return [.. trends.OrderBy(t => t.Replica, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The lower envelope of a series: per <see cref="FloorWindowSeconds"/> window from the first sample, the lowest
    /// value, at the window's middle (minutes). A last window holding under half a window of time is merged into
    /// the one before, so a short tail cannot tip the fit.
    /// </summary>
    public static List<(double X, double Y)> Floor(IReadOnlyList<MemorySample> samples, Func<MemorySample, double> value)
    {
        var floor = new List<(double X, double Y)>();
        if (samples.Count == 0)
        {
            return floor;
        }

        double t0 = samples[0].Seconds, last = samples[^1].Seconds;
        int windows = Math.Max(1, (int)Math.Floor(((last - t0) / FloorWindowSeconds) + 0.5));
        for (int w = 0; w < windows; w++)
        {
            double from = t0 + (w * FloorWindowSeconds), to = w == windows - 1 ? double.PositiveInfinity : from + FloorWindowSeconds;
            var inWindow = samples.Where(s => s.Seconds >= from && s.Seconds < to).ToList();
            if (inWindow.Count > 0)
            {
                double mid = (inWindow[0].Seconds + inWindow[^1].Seconds) / 2;
                floor.Add((mid / 60, inWindow.Min(value)));
            }
        }

        return floor;
    }

    /// <summary>Minutes of samples below which a floor's slope says nothing about a leak (ten windows; start-up growth dominates shorter lives).</summary>
    public const double MinLeakMinutes = 5;
}
