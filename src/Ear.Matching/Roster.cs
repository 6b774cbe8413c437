namespace Ear.Matching;

/// <summary>A live deployment as scoring reads it: its days, the interned sets of its countries and themes, its rating (0: none).</summary>
internal readonly record struct PastWork(int From, int To, int Places, int Topics, int Rating);

/// <summary>A theme an expert holds: its id in <see cref="Roster.ThemeIds"/>, and the level (1 to 3).</summary>
internal readonly record struct HeldTheme(ushort Theme, byte Level);

/// <summary>
/// The roster laid out for matching: dense columns, one slot per expert, updated in place as experts
/// change. The hard rules and the score read only these columns (numbers, flags, and runs of numbers
/// in <see cref="Slab{T}"/>s), never the strings and dictionaries of a <see cref="Candidate"/>: a
/// request walks every expert, and reading a few bytes each, front to back, is what keeps that walk
/// fast at a million experts.
/// Not thread-safe for writers: the owner serialises <see cref="Upsert"/> and <see cref="Remove"/>
/// against readers.
/// </summary>
public sealed class Roster
{
    private const int NoBusyDay = int.MinValue;

    private readonly Dictionary<Guid, int> _slotOf = [];
    private readonly Dictionary<string, byte[]> _languageRanks = new(StringComparer.Ordinal);
    private readonly DayCounts _deploymentStarts = new();
    private readonly Dictionary<short, DayCounts> _deploymentStartsByState = [];
    private readonly Slab<HeldTheme> _themes = new();
    private readonly Slab<short> _experience = new();
    private readonly Slab<PastWork> _past = new();
    private readonly Slab<DayRange> _unavailability = new();
    private Candidate[] _candidates = new Candidate[1024];
    private Guid[] _ids = new Guid[1024];
    private bool[] _fit = new bool[1024];
    private Origin[] _origin = new Origin[1024];
    private bool[] _isWoman = new bool[1024];
    private short[] _nationality = new short[1024];
    private short[] _memberState = new short[1024];
    private bool[] _doNotRedeploy = new bool[1024];
    private int[] _busyFrom = new int[1024];
    private int[] _busyTo = new int[1024];

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

    /// <summary>Theme codes held by experts of this roster, as ids.</summary>
    internal CodeIds ThemeIds { get; } = new();

    /// <summary>The distinct country sets of deployments (the action's beneficiaries and the activity's country).</summary>
    internal SetIds Places { get; } = new();

    /// <summary>The distinct theme sets of deployments (their action's themes), as theme ids.</summary>
    internal SetIds Topics { get; } = new();

    /// <summary>The expert's slot, or -1.</summary>
    public int SlotOf(Guid id) => _slotOf.GetValueOrDefault(id, -1);

    public bool TryGet(Guid id, out Candidate candidate)
    {
        candidate = null!;
        return _slotOf.TryGetValue(id, out var slot) && (candidate = _candidates[slot]) is not null;
    }

    public void Upsert(Candidate candidate)
    {
        if (_slotOf.TryGetValue(candidate.Id, out var slot))
        {
            CountStarts(slot, -1);
        }
        else
        {
            slot = Count++;
            Grow(Count);
            _slotOf[candidate.Id] = slot;
        }

        _candidates[slot] = candidate;
        _ids[slot] = candidate.Id;
        _fit[slot] = candidate.IsActive && candidate.HasConsent;
        _origin[slot] = candidate.Origin;
        _isWoman[slot] = candidate.IsWoman;
        _nationality[slot] = CountryIndex.Of(candidate.Nationality);
        _memberState[slot] = CountryIndex.Of(candidate.MemberState);
        _doNotRedeploy[slot] = candidate.Deployments.Any(d => d.Recommendation == Recommendation.DoNotRedeploy);
        var busy = candidate.Unavailability.Concat(candidate.Deployments.Select(d => d.Days)).ToList();
        _busyFrom[slot] = busy.Count == 0 ? NoBusyDay : busy.Min(d => d.From.DayNumber);
        _busyTo[slot] = busy.Count == 0 ? NoBusyDay : busy.Max(d => d.To.DayNumber);
        _themes.Set(slot, candidate.Themes.Select(t => new HeldTheme(ThemeId(t.Key), (byte)t.Value)).ToArray());
        _experience.Set(slot, candidate.CountriesOfExperience.Select(CountryIndex.Of).Where(c => c >= 0).ToArray());
        _past.Set(slot, candidate.Deployments.Select(d => new PastWork(
            d.Days.From.DayNumber,
            d.Days.To.DayNumber,
            Places.Intern(d.Countries.Select(c => (int)CountryIndex.Of(c))),
            Topics.Intern(d.Themes.Select(ThemeIds.Intern)),
            d.Rating ?? 0)).ToArray());
        _unavailability.Set(slot, candidate.Unavailability.ToArray());
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

        CountStarts(slot, +1);
    }

    public void Remove(Guid id)
    {
        if (!_slotOf.Remove(id, out var slot))
        {
            return;
        }

        CountStarts(slot, -1);

        // The last slot moves into the hole, so that the columns stay dense.
        var last = --Count;
        if (slot != last)
        {
            _candidates[slot] = _candidates[last];
            _ids[slot] = _ids[last];
            _fit[slot] = _fit[last];
            _origin[slot] = _origin[last];
            _isWoman[slot] = _isWoman[last];
            _nationality[slot] = _nationality[last];
            _memberState[slot] = _memberState[last];
            _doNotRedeploy[slot] = _doNotRedeploy[last];
            _busyFrom[slot] = _busyFrom[last];
            _busyTo[slot] = _busyTo[last];
            _themes.Move(last, slot);
            _experience.Move(last, slot);
            _past.Move(last, slot);
            _unavailability.Move(last, slot);
            foreach (var ranks in _languageRanks.Values)
            {
                ranks[slot] = ranks[last];
            }

            _slotOf[_candidates[slot].Id] = slot;
        }

        else
        {
            _themes.Set(last, []);
            _experience.Set(last, []);
            _past.Set(last, []);
            _unavailability.Set(last, []);
        }

        _candidates[last] = null!;
    }

    internal Guid IdOf(int slot) => _ids[slot];

    /// <summary>The ranking's order: whether a slot with this score ranks before the other, by a higher score, then a smaller expert id.</summary>
    internal bool RanksBefore(double score, int slot, (double Score, int Slot) other) =>
        score > other.Score || (score == other.Score && _ids[slot].CompareTo(_ids[other.Slot]) < 0);

    /// <summary>The ranking's order as a comparison, for sorting (score, slot) pairs best first.</summary>
    internal int CompareRanks((double Score, int Slot) a, (double Score, int Slot) b) =>
        a == b ? 0 : RanksBefore(a.Score, a.Slot, b) ? -1 : 1;

    internal bool Fit(int slot) => _fit[slot];

    internal Origin OriginOf(int slot) => _origin[slot];

    internal bool IsWoman(int slot) => _isWoman[slot];

    internal bool DoNotRedeploy(int slot) => _doNotRedeploy[slot];

    /// <summary>The nationality's <see cref="CountryIndex"/>, or -1.</summary>
    internal short Nationality(int slot) => _nationality[slot];

    /// <summary>The member state's <see cref="CountryIndex"/>, or -1 for experts of no member state.</summary>
    internal short MemberState(int slot) => _memberState[slot];

    internal ReadOnlySpan<HeldTheme> Themes(int slot) => _themes[slot];

    /// <summary>The declared countries of experience, as <see cref="CountryIndex"/> numbers.</summary>
    internal ReadOnlySpan<short> Experience(int slot) => _experience[slot];

    internal ReadOnlySpan<PastWork> Past(int slot) => _past[slot];

    internal ReadOnlySpan<DayRange> Unavailability(int slot) => _unavailability[slot];

    /// <summary>Whether the slot has any unavailability or deployment between from and to (day numbers): if not, neither rule can fail.</summary>
    internal bool MayBeBusy(int slot, int from, int to) => _busyFrom[slot] != NoBusyDay && _busyFrom[slot] <= to && from <= _busyTo[slot];

    /// <summary>Each slot's rank (0 when not spoken) in the language, or null when nobody speaks it.</summary>
    internal byte[]? LanguageRanks(string code) => _languageRanks.GetValueOrDefault(code);

    /// <summary>How many deployments started in [from, until), in all and per member state (by <see cref="CountryIndex"/>).</summary>
    internal (int Total, Dictionary<short, int> ByState) DeploymentsStarting(DateOnly from, DateOnly until) => (
        _deploymentStarts.Between(from.DayNumber, until.DayNumber),
        _deploymentStartsByState.ToDictionary(s => s.Key, s => s.Value.Between(from.DayNumber, until.DayNumber)));

    private ushort ThemeId(string code) =>
        ThemeIds.Intern(code) is var id and <= ushort.MaxValue ? (ushort)id : throw new InvalidOperationException("More than 65,536 theme codes.");

    private void CountStarts(int slot, int delta)
    {
        var state = _memberState[slot];
        foreach (var work in _past[slot])
        {
            _deploymentStarts.Add(work.From, delta);
            if (state >= 0)
            {
                (_deploymentStartsByState.TryGetValue(state, out var counts) ? counts : _deploymentStartsByState[state] = new DayCounts()).Add(work.From, delta);
            }
        }
    }

    private void Grow(int needed)
    {
        if (needed <= _candidates.Length)
        {
            return;
        }

        var size = Math.Max(needed, _candidates.Length * 2);
        Array.Resize(ref _candidates, size);
        Array.Resize(ref _ids, size);
        Array.Resize(ref _fit, size);
        Array.Resize(ref _origin, size);
        Array.Resize(ref _isWoman, size);
        Array.Resize(ref _nationality, size);
        Array.Resize(ref _memberState, size);
        Array.Resize(ref _doNotRedeploy, size);
        Array.Resize(ref _busyFrom, size);
        Array.Resize(ref _busyTo, size);
        _themes.Reserve(size);
        _experience.Reserve(size);
        _past.Reserve(size);
        _unavailability.Reserve(size);
        foreach (var code in _languageRanks.Keys.ToList())
        {
            var ranks = _languageRanks[code];
            Array.Resize(ref ranks, size);
            _languageRanks[code] = ranks;
        }
    }
}
