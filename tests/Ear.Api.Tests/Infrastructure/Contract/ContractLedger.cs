using System.Globalization;
using System.Text;

namespace Ear.Api.Tests.Infrastructure.Contract;

/// <summary>What the run's responses did against the contract: counts, violations grouped by operation, status and kind.</summary>
internal sealed class ContractLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Subject, int Status, string Kind), Entry> _violations = [];
    private readonly Dictionary<string, Entry> _unmatched = [];
    private int _validated;
    private int _nonConforming;
    private int _skipped;

    /// <summary>The whole test run's ledger, summarised when the run ends.</summary>
    public static ContractLedger Run { get; } = new();

    public int Validated
    {
        get
        {
            lock (_lock)
            {
                return _validated;
            }
        }
    }

    public void Record(ContractVerdict verdict, string test)
    {
        lock (_lock)
        {
            switch (verdict.Outcome)
            {
                case ContractOutcome.Skipped:
                    _skipped++;
                    break;
                case ContractOutcome.Unmatched:
                    Count(_unmatched, verdict.Subject, test);
                    break;
                case ContractOutcome.Checked:
                    _validated++;
                    _nonConforming += verdict.Conforms ? 0 : 1;
                    foreach (var violation in verdict.Violations.DistinctBy(v => v.Kind))
                    {
                        Count(_violations, (verdict.Subject, verdict.Status, violation.Kind), test);
                    }

                    break;
            }
        }
    }

    public string Summary(ContractMode mode)
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            var groups = _violations.GroupBy(v => v.Key.Subject).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            text.Append(CultureInfo.InvariantCulture,
                $"Contract conformance against openapi/ear.v1.json ({mode} mode): {_validated} responses validated, ")
                .Append(CultureInfo.InvariantCulture,
                $"{_nonConforming} did not conform, in {_violations.Count} groups over {groups.Count} operations; ")
                .AppendLine(CultureInfo.InvariantCulture,
                $"{_unmatched.Values.Sum(e => e.Count)} requests matched no operation; {_skipped} skipped (HEAD, /swagger).");

            foreach (var operation in groups)
            {
                text.AppendLine().AppendLine(operation.Key);
                foreach (var ((_, status, kind), entry) in operation.OrderBy(v => v.Key.Status).ThenBy(v => v.Key.Kind, StringComparer.Ordinal))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {status}  {kind}  ×{entry.Count}  (first: {entry.FirstTest})");
                }
            }

            if (_unmatched.Count > 0)
            {
                text.AppendLine().AppendLine("Requests that match no operation (not checked)");
                foreach (var (subject, entry) in _unmatched.OrderBy(u => u.Key, StringComparer.Ordinal))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {subject}  ×{entry.Count}  (first: {entry.FirstTest})");
                }
            }

            return text.ToString();
        }
    }

    private static void Count<TKey>(Dictionary<TKey, Entry> entries, TKey key, string test)
        where TKey : notnull
    {
        if (entries.TryGetValue(key, out var entry))
        {
            entry.Count++;
        }
        else
        {
            entries[key] = new Entry { Count = 1, FirstTest = test };
        }
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public required string FirstTest { get; init; }
    }
}
