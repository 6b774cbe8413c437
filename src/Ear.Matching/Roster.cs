namespace Ear.Matching;

/// <summary>
/// A live deployment as scoring reads it: its days, the interned sets of its countries and themes, its
/// rating (0: none) and its evaluation's recommendation (0: none, else 1 + <see cref="Ear.Matching.Recommendation"/>),
/// in bytes so that the record stays five words long.
/// </summary>
internal readonly record struct PastWork(int From, int To, int Places, int Topics, byte Rating, byte Advice)
{
    public Recommendation? Recommendation => Advice == 0 ? null : (Recommendation)(Advice - 1);

    public static byte AdviceOf(Recommendation? recommendation) => recommendation is { } r ? (byte)(1 + (int)r) : (byte)0;
}

/// <summary>A theme an expert holds: its id in <see cref="Roster.ThemeIds"/>, and the level (1 to 3).</summary>
internal readonly record struct HeldTheme(ushort Theme, byte Level);

/// <summary>
/// The roster laid out for matching: dense columns, one slot per expert, updated in place as experts
/// change. The hard rules and the score read only these columns (numbers, flags, and runs of numbers
/// in <see cref="Slab{T}"/>s): a request walks every expert, and reading a few bytes each, front to back,
/// is what keeps that walk fast at a million experts. No object is kept per expert (each held its own
/// dictionaries and lists, and at a million experts they were most of the service's memory): the few
/// experts a request shows are described again from the columns (<see cref="this[int]"/>).
/// Not thread-safe for writers: the owner serialises <see cref="Upsert"/> and <see cref="Remove"/>
/// against readers.
/// </summary>
public sealed class Roster
{
    private const int NoBusyDay = int.MinValue;
    private const ushort NoLabel = ushort.MaxValue;

    private readonly Dictionary<Guid, int> _slotOf = [];
    private readonly Dictionary<string, byte[]> _languageRanks = new(StringComparer.Ordinal);
    private readonly CodeIds _labels = new();
    private readonly DayCounts _deploymentStarts = new();
    private readonly Dictionary<short, DayCounts> _deploymentStartsByState = [];
    private readonly Slab<HeldTheme> _themes = new();
    private readonly Slab<short> _experience = new();
    private readonly Slab<PastWork> _past = new();
    private readonly Slab<DayRange> _unavailability = new();
    private Guid[] _ids = new Guid[1024];
    private ExpertKind[] _kind = new ExpertKind[1024];
    private Origin[] _origin = new Origin[1024];
    private bool[] _isActive = new bool[1024];
    private bool[] _hasConsent = new bool[1024];
    private bool[] _usesEvaluations = new bool[1024];
    private bool[] _isWoman = new bool[1024];
    private short[] _nationality = new short[1024];
    private short[] _memberState = new short[1024];
    private ushort[] _nationalityLabel = new ushort[1024];
    private ushort[] _memberStateLabel = new ushort[1024];
    private ushort[] _genderLabel = new ushort[1024];
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

    /// <summary>The expert in the slot, described afresh from the columns on every call.</summary>
    public Candidate this[int slot] => Describe(slot);

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
        if (!_slotOf.TryGetValue(id, out var slot))
        {
            return false;
        }

        candidate = Describe(slot);
        return true;
    }

    public void Upsert(Candidate candidate)
    {
        var slot = Claim(candidate.Id);
        SetExpert(slot, candidate.Kind, candidate.Nationality, candidate.MemberState, candidate.Gender, candidate.IsWoman, candidate.IsActive, candidate.HasConsent, candidate.CountriesOfExperience, candidate.UsesEvaluations);
        foreach (var ranks in _languageRanks.Values)
        {
            ranks[slot] = 0;
        }

        foreach (var (code, rank) in candidate.Languages)
        {
            SetLanguage(slot, code, rank);
        }

        _themes.Set(slot, candidate.Themes.Select(t => Held(t.Key, t.Value)).ToArray());
        _unavailability.Set(slot, candidate.Unavailability.ToArray());
        _past.Set(slot, candidate.Deployments.Select(d => Work(d.Days, d.Countries, d.Themes, d.Rating, d.Recommendation)).ToArray());
        Derive(slot);
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
            _ids[slot] = _ids[last];
            _kind[slot] = _kind[last];
            _origin[slot] = _origin[last];
            _isActive[slot] = _isActive[last];
            _hasConsent[slot] = _hasConsent[last];
            _usesEvaluations[slot] = _usesEvaluations[last];
            _isWoman[slot] = _isWoman[last];
            _nationality[slot] = _nationality[last];
            _memberState[slot] = _memberState[last];
            _nationalityLabel[slot] = _nationalityLabel[last];
            _memberStateLabel[slot] = _memberStateLabel[last];
            _genderLabel[slot] = _genderLabel[last];
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

            _slotOf[_ids[slot]] = slot;
        }
        else
        {
            _themes.Set(last, []);
            _experience.Set(last, []);
            _past.Set(last, []);
            _unavailability.Set(last, []);
        }

        // A slot claimed later starts speaking no language.
        foreach (var ranks in _languageRanks.Values)
        {
            ranks[last] = 0;
        }
    }

    internal Guid IdOf(int slot) => _ids[slot];

    /// <summary>The ranking's order: whether a slot with this score ranks before the other, by a higher score, then a smaller expert id.</summary>
    internal bool RanksBefore(double score, int slot, (double Score, int Slot) other) =>
        score > other.Score || (score == other.Score && _ids[slot].CompareTo(_ids[other.Slot]) < 0);

    /// <summary>The ranking's order as a comparison, for sorting (score, slot) pairs best first.</summary>
    internal int CompareRanks((double Score, int Slot) a, (double Score, int Slot) b) =>
        a == b ? 0 : RanksBefore(a.Score, a.Slot, b) ? -1 : 1;

    internal bool IsActive(int slot) => _isActive[slot];

    internal bool HasConsent(int slot) => _hasConsent[slot];

    internal bool UsesEvaluations(int slot) => _usesEvaluations[slot];

    internal Origin OriginOf(int slot) => _origin[slot];

    internal bool IsWoman(int slot) => _isWoman[slot];

    internal bool DoNotRedeploy(int slot) => _doNotRedeploy[slot];

    /// <summary>The nationality's <see cref="CountryIndex"/>, or -1.</summary>
    internal short Nationality(int slot) => _nationality[slot];

    /// <summary>The nationality as recorded.</summary>
    internal string NationalityCode(int slot) => _labels.Code(_nationalityLabel[slot]);

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

    /// <summary>
    /// The expert's slot, a new one at the end when the roster does not hold it yet. A slot it already had keeps
    /// its runs, which the caller replaces; its deployments stop counting until <see cref="Derive"/>.
    /// </summary>
    internal int Claim(Guid id)
    {
        if (_slotOf.TryGetValue(id, out var slot))
        {
            CountStarts(slot, -1);
            return slot;
        }

        slot = Count++;
        Grow(Count);
        _slotOf[id] = slot;
        _ids[slot] = id;
        return slot;
    }

    internal void SetExpert(int slot, ExpertKind kind, string nationality, string? memberState, string gender, bool isWoman, bool isActive, bool hasConsent, IEnumerable<string> countriesOfExperience,
        bool usesEvaluations = true)
    {
        _kind[slot] = kind;
        _origin[slot] = ExpertKinds.OriginOf(kind);
        _isActive[slot] = isActive;
        _hasConsent[slot] = hasConsent;
        _usesEvaluations[slot] = usesEvaluations;
        _isWoman[slot] = isWoman;
        _nationality[slot] = CountryIndex.Of(nationality);
        _memberState[slot] = CountryIndex.Of(memberState);
        _nationalityLabel[slot] = Label(nationality);
        _memberStateLabel[slot] = memberState is null ? NoLabel : Label(memberState);
        _genderLabel[slot] = Label(gender);
        _experience.Set(slot, countriesOfExperience.Select(CountryIndex.Of).Where(c => c >= 0).Distinct().ToArray());
    }

    internal void SetLanguage(int slot, string code, int rank)
    {
        if (!_languageRanks.TryGetValue(code, out var ranks))
        {
            _languageRanks[code] = ranks = new byte[_ids.Length];
        }

        ranks[slot] = (byte)rank;
    }

    internal HeldTheme Held(string code, int level) => new(ThemeId(code), (byte)level);

    internal PastWork Work(DayRange days, IEnumerable<string> countries, IEnumerable<string> themes, int? rating, Recommendation? recommendation) => new(
        days.From.DayNumber,
        days.To.DayNumber,
        Places.Intern(countries.Select(c => (int)CountryIndex.Of(c))),
        Topics.Intern(themes.Select(ThemeIds.Intern)),
        (byte)(rating ?? 0),
        PastWork.AdviceOf(recommendation));

    /// <summary>Lays out the themes, unavailability and deployments of every slot at once (<see cref="Slab{T}.Fill"/>), then derives what follows from them.</summary>
    internal void Fill(RunRows<HeldTheme> themes, RunRows<DayRange> unavailability, RunRows<PastWork> past)
    {
        _themes.Fill(Count, themes.Owners, themes.Values);
        _unavailability.Fill(Count, unavailability.Owners, unavailability.Values);
        _past.Fill(Count, past.Owners, past.Values);
        for (var slot = 0; slot < Count; slot++)
        {
            Derive(slot);
        }
    }

    /// <summary>What the rules read that follows from the slot's runs: the span of its busy days, a "do not redeploy", and its deployments' starts.</summary>
    private void Derive(int slot)
    {
        int from = int.MaxValue, to = int.MinValue;
        foreach (var off in _unavailability[slot])
        {
            from = Math.Min(from, off.From.DayNumber);
            to = Math.Max(to, off.To.DayNumber);
        }

        var doNotRedeploy = false;
        foreach (var work in _past[slot])
        {
            from = Math.Min(from, work.From);
            to = Math.Max(to, work.To);
            doNotRedeploy |= work.Recommendation == Recommendation.DoNotRedeploy;
        }

        var busy = from != int.MaxValue;
        _busyFrom[slot] = busy ? from : NoBusyDay;
        _busyTo[slot] = busy ? to : NoBusyDay;
        _doNotRedeploy[slot] = doNotRedeploy;
        CountStarts(slot, +1);
    }

    /// <summary>The expert described from the columns: what a few answers show and explain, never what the walk reads.</summary>
    private Candidate Describe(int slot)
    {
        var languages = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (code, ranks) in _languageRanks)
        {
            if (ranks[slot] > 0)
            {
                languages[code] = ranks[slot];
            }
        }

        var themes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var held in _themes[slot])
        {
            themes[ThemeIds.Code(held.Theme)] = held.Level;
        }

        var experience = new HashSet<string>(StringComparer.Ordinal);
        foreach (var country in _experience[slot])
        {
            experience.Add(CountryIndex.Code(country));
        }

        var deployments = new List<PastDeployment>();
        foreach (var work in _past[slot])
        {
            deployments.Add(new PastDeployment(
                new DayRange(DateOnly.FromDayNumber(work.From), DateOnly.FromDayNumber(work.To)),
                Places.Sets[work.Places].Select(CountryIndex.Code).ToArray(),
                Topics.Sets[work.Topics].Select(ThemeIds.Code).ToArray(),
                work.Rating == 0 ? null : work.Rating,
                work.Recommendation));
        }

        return new Candidate
        {
            Id = _ids[slot],
            Kind = _kind[slot],
            Nationality = _labels.Code(_nationalityLabel[slot]),
            MemberState = _memberStateLabel[slot] == NoLabel ? null : _labels.Code(_memberStateLabel[slot]),
            IsWoman = _isWoman[slot],
            Gender = _labels.Code(_genderLabel[slot]),
            IsActive = _isActive[slot],
            HasConsent = _hasConsent[slot],
            UsesEvaluations = _usesEvaluations[slot],
            Languages = languages,
            Themes = themes,
            CountriesOfExperience = experience,
            Unavailability = _unavailability[slot].ToArray(),
            Deployments = deployments,
        };
    }

    private ushort ThemeId(string code) =>
        ThemeIds.Intern(code) is var id and <= ushort.MaxValue ? (ushort)id : throw new InvalidOperationException("More than 65,536 theme codes.");

    private ushort Label(string code) =>
        _labels.Intern(code) is var id and < NoLabel ? (ushort)id : throw new InvalidOperationException("More than 65,535 nationality, member state and gender codes.");

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
        if (needed <= _ids.Length)
        {
            return;
        }

        var size = Math.Max(needed, _ids.Length * 2);
        Array.Resize(ref _ids, size);
        Array.Resize(ref _kind, size);
        Array.Resize(ref _origin, size);
        Array.Resize(ref _isActive, size);
        Array.Resize(ref _hasConsent, size);
        Array.Resize(ref _usesEvaluations, size);
        Array.Resize(ref _isWoman, size);
        Array.Resize(ref _nationality, size);
        Array.Resize(ref _memberState, size);
        Array.Resize(ref _nationalityLabel, size);
        Array.Resize(ref _memberStateLabel, size);
        Array.Resize(ref _genderLabel, size);
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
