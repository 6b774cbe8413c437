namespace Ear.Matching;

/// <summary>
/// The roster laid out for matching: dense columns, one slot per expert, updated in place as experts
/// change. The hard rules read only columns (a few bytes a slot) so that excluding most of a large
/// roster costs little; only the eligible candidates are scored from their full records.
/// Not thread-safe for writers: the owner serialises <see cref="Upsert"/> and <see cref="Remove"/>
/// against readers.
/// </summary>
public sealed class Roster
{
    private const int NoBusyDay = int.MinValue;

    private readonly Dictionary<Guid, int> _slotOf = [];
    private readonly Dictionary<string, byte[]> _languageRanks = new(StringComparer.Ordinal);
    private Candidate[] _candidates = new Candidate[1024];
    private bool[] _fit = new bool[1024];
    private short[] _nationality = new short[1024];
    private bool[] _doNotRedeploy = new bool[1024];
    private int[] _busyFrom = new int[1024];
    private int[] _busyTo = new int[1024];
    private Dictionary<string, int[]>? _deploymentStartsByState;
    private int[]? _idOrder;
    private int[]? _deploymentStarts;

    public Roster()
    {
    }

    public Roster(IEnumerable<Candidate> candidates)
    {
        foreach (var candidate in candidates)
        {
            Upsert(candidate);
        }
    }

    public int Count { get; private set; }

    public Candidate this[int slot] => _candidates[slot];

    /// <summary>The expert's slot, or -1.</summary>
    public int SlotOf(Guid id) => _slotOf.GetValueOrDefault(id, -1);

    public bool TryGet(Guid id, out Candidate candidate)
    {
        candidate = null!;
        return _slotOf.TryGetValue(id, out var slot) && (candidate = _candidates[slot]) is not null;
    }

    public void Upsert(Candidate candidate)
    {
        if (!_slotOf.TryGetValue(candidate.Id, out var slot))
        {
            slot = Count++;
            Grow(Count);
            _slotOf[candidate.Id] = slot;
        }

        _candidates[slot] = candidate;
        _fit[slot] = candidate.IsActive && candidate.HasConsent;
        _nationality[slot] = CountryIndex(candidate.Nationality);
        _doNotRedeploy[slot] = candidate.Deployments.Any(d => d.Recommendation == Recommendation.DoNotRedeploy);
        var busy = candidate.Unavailability.Concat(candidate.Deployments.Select(d => d.Days)).ToList();
        _busyFrom[slot] = busy.Count == 0 ? NoBusyDay : busy.Min(d => d.From.DayNumber);
        _busyTo[slot] = busy.Count == 0 ? NoBusyDay : busy.Max(d => d.To.DayNumber);
        foreach (var ranks in _languageRanks.Values)
        {
            ranks[slot] = 0;
        }

        foreach (var (code, rank) in candidate.Languages)
        {
            if (!_languageRanks.TryGetValue(code, out var ranks))
            {
                _languageRanks[code] = ranks = new byte[_candidates.Length];
            }

            ranks[slot] = (byte)rank;
        }

        _deploymentStarts = null;
        _deploymentStartsByState = null;
        _idOrder = null;
    }

    public void Remove(Guid id)
    {
        if (!_slotOf.Remove(id, out var slot))
        {
            return;
        }

        // The last slot moves into the hole, so that the columns stay dense.
        var last = --Count;
        if (slot != last)
        {
            _candidates[slot] = _candidates[last];
            _fit[slot] = _fit[last];
            _nationality[slot] = _nationality[last];
            _doNotRedeploy[slot] = _doNotRedeploy[last];
            _busyFrom[slot] = _busyFrom[last];
            _busyTo[slot] = _busyTo[last];
            foreach (var ranks in _languageRanks.Values)
            {
                ranks[slot] = ranks[last];
            }

            _slotOf[_candidates[slot].Id] = slot;
        }

        _candidates[last] = null!;
        _deploymentStarts = null;
        _deploymentStartsByState = null;
        _idOrder = null;
    }

    /// <summary>Each slot's position in expert-id order: equal scores are ranked by comparing two ints, not two Guids.</summary>
    internal int[] IdOrder()
    {
        if (_idOrder is { } cached)
        {
            return cached;
        }

        var bySlot = Enumerable.Range(0, Count).ToArray();
        Array.Sort(bySlot, (a, b) => _candidates[a].Id.CompareTo(_candidates[b].Id));
        var order = new int[Count];
        for (var position = 0; position < bySlot.Length; position++)
        {
            order[bySlot[position]] = position;
        }

        return _idOrder = order;
    }

    internal bool Fit(int slot) => _fit[slot];

    internal bool DoNotRedeploy(int slot) => _doNotRedeploy[slot];

    internal short Nationality(int slot) => _nationality[slot];

    /// <summary>Whether the slot has any unavailability or deployment between from and to (day numbers): if not, neither rule can fail.</summary>
    internal bool MayBeBusy(int slot, int from, int to) => _busyFrom[slot] != NoBusyDay && _busyFrom[slot] <= to && from <= _busyTo[slot];

    internal byte[]? LanguageRanks(string code) => _languageRanks.GetValueOrDefault(code);

    /// <summary>How many deployments started in [from, until), in all and per member state.</summary>
    internal (int Total, Dictionary<string, int> ByState) DeploymentsStarting(DateOnly from, DateOnly until)
    {
        if (_deploymentStarts is null || _deploymentStartsByState is null)
        {
            var starts = new List<int>();
            var byState = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var slot = 0; slot < Count; slot++)
            {
                var candidate = _candidates[slot];
                foreach (var deployment in candidate.Deployments)
                {
                    starts.Add(deployment.Days.From.DayNumber);
                    if (candidate.MemberState is { } state)
                    {
                        (byState.TryGetValue(state, out var list) ? list : byState[state] = []).Add(deployment.Days.From.DayNumber);
                    }
                }
            }

            _deploymentStarts = [.. starts.Order()];
            _deploymentStartsByState = byState.ToDictionary(s => s.Key, s => s.Value.Order().ToArray(), StringComparer.Ordinal);
        }

        static int Between(int[] sorted, int from, int until) => LowerBound(sorted, until) - LowerBound(sorted, from);
        var total = Between(_deploymentStarts, from.DayNumber, until.DayNumber);
        var perState = _deploymentStartsByState.ToDictionary(s => s.Key, s => Between(s.Value, from.DayNumber, until.DayNumber), StringComparer.Ordinal);
        return (total, perState);
    }

    internal static short CountryIndex(string country) =>
        country.Length == 2 && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1])
            ? (short)((country[0] - 'A') * 26 + (country[1] - 'A'))
            : (short)-1;

    private static int LowerBound(int[] sorted, int value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }

    private void Grow(int needed)
    {
        if (needed <= _candidates.Length)
        {
            return;
        }

        var size = Math.Max(needed, _candidates.Length * 2);
        Array.Resize(ref _candidates, size);
        Array.Resize(ref _fit, size);
        Array.Resize(ref _nationality, size);
        Array.Resize(ref _doNotRedeploy, size);
        Array.Resize(ref _busyFrom, size);
        Array.Resize(ref _busyTo, size);
        foreach (var code in _languageRanks.Keys.ToList())
        {
            var ranks = _languageRanks[code];
            Array.Resize(ref ranks, size);
            _languageRanks[code] = ranks;
        }
    }
}
