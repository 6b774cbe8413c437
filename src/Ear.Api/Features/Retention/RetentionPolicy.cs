namespace Ear.Api.Features.Retention;

/// <summary>
/// The retention policy, from the configuration section <c>Retention</c> (README, "Configuration"). The defaults
/// follow issue #17's example; every period counts from the run's time (the registered TimeProvider).
/// </summary>
internal sealed class RetentionPolicy
{
    public const string Section = "Retention";

    /// <summary>A profile not confirmed for this many months becomes pending_reconfirmation and is not matched.</summary>
    public int ReconfirmAfterMonths { get; init; } = 36;

    /// <summary>A profile pending re-confirmation for this many months is erased (decision 0011's erasure).</summary>
    public int EraseAfterPendingMonths { get; init; } = 6;

    /// <summary>The newest CV versions of an expert that are always kept.</summary>
    public int KeepCvVersions { get; init; } = 2;

    /// <summary>Older versions are deleted once they are this many months old.</summary>
    public int DeleteOlderCvVersionsAfterMonths { get; init; } = 12;

    /// <summary>Audit entries older than this many years lose their key id and client address to a keyed hash.</summary>
    public int KeepAuditYears { get; init; } = 5;

    /// <summary>How far ahead of its due date a profile appears in GET /reconfirmations, so that focal points can ask in time.</summary>
    public int ReconfirmationNoticeDays { get; init; } = 60;

    /// <summary>Whether the daily run is scheduled (an admin can always run it through the API).</summary>
    public bool Scheduled { get; init; } = true;

    /// <summary>The wait after start-up before the first scheduled run, then a run every 24 hours.</summary>
    public TimeSpan FirstRunAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether expired consents are looked for every <see cref="ExpiryCheckInterval"/> between daily runs, so that an
    /// expiry reaches matching and the change feed within that interval (search and downloads see it at once anyway).
    /// </summary>
    public bool WatchExpiries { get; init; } = true;

    public TimeSpan ExpiryCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    public RetentionCutoffs CutoffsAt(DateTimeOffset now) => new(
        now,
        now.AddMonths(-ReconfirmAfterMonths),
        now.AddMonths(-EraseAfterPendingMonths),
        now.AddMonths(-DeleteOlderCvVersionsAfterMonths),
        now.AddYears(-KeepAuditYears),
        KeepCvVersions);

    /// <summary>Refuses a policy that would erase at once or keep nothing, at start-up rather than at the first run.</summary>
    public void Check()
    {
        if (ReconfirmAfterMonths < 1 || EraseAfterPendingMonths < 1 || KeepCvVersions < 1 || DeleteOlderCvVersionsAfterMonths < 1
            || KeepAuditYears < 1 || ReconfirmationNoticeDays < 0 || ExpiryCheckInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                "Retention: every period must be at least 1 (months or years), KeepCvVersions at least 1, ReconfirmationNoticeDays at least 0 and ExpiryCheckInterval positive.");
        }
    }
}

/// <summary>The policy's periods turned into instants for one run.</summary>
internal sealed record RetentionCutoffs(
    DateTimeOffset Now, DateTimeOffset ConfirmedBefore, DateTimeOffset PendingBefore, DateTimeOffset CvUploadedBefore,
    DateTimeOffset AuditBefore, int KeepCvVersions)
{
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);
}
