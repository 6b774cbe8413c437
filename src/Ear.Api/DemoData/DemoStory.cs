using Ear.Api.Features.ReferenceData;

namespace Ear.Api.DemoData;

/// <summary>An action of the demonstration data, with the status moves it went through.</summary>
internal sealed record DemoAction(
    Guid Id, string Code, string Title, string? RequestingAuthority, string[] BeneficiaryCountries, string? RegionalOrganisation,
    string? Region, string[] Themes, string[] WorkingLanguages, DateOnly RequestedAt, DateOnly? From, DateOnly? To, string Status,
    DateTimeOffset CreatedAt, IReadOnlyList<(string? From, string To, DateTimeOffset At)> History, string Note)
{
    /// <summary>The workflow of an action carried out: request, fiche (three weeks), approval, implementation, and its end if it ended.</summary>
    public static IReadOnlyList<(string? From, string To, DateTimeOffset At)> Workflow(DateOnly requestedAt, DateOnly from, DateOnly? completedOn)
    {
        List<(string?, string, DateTimeOffset)> moves =
        [
            (null, "requested", At(requestedAt)),
            ("requested", "in_preparation", At(requestedAt.AddDays(21))),
            ("in_preparation", "approved", At(requestedAt.AddDays(60))),
            ("approved", "in_implementation", At(from)),
        ];
        if (completedOn is { } end)
        {
            moves.Add(("in_implementation", "completed", At(end)));
        }

        return moves;
    }

    /// <summary>A request that never became an action: rejected or transferred once its fiche was drafted.</summary>
    public static IReadOnlyList<(string? From, string To, DateTimeOffset At)> Declined(DateOnly requestedAt, string outcome) =>
    [
        (null, "requested", At(requestedAt)),
        ("requested", "in_preparation", At(requestedAt.AddDays(21))),
        ("in_preparation", outcome, At(requestedAt.AddDays(45))),
    ];

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}

/// <summary>An activity of a demonstration action.</summary>
internal sealed record DemoActivity(Guid Id, DemoAction Action, string Type, string Title, DateOnly From, DateOnly To, string? Country, DateTimeOffset CreatedAt);

/// <summary>A deployment of a demonstration expert, evaluated when its action is completed.</summary>
internal sealed record DemoDeployment(Guid Id, DemoActivity Activity, Guid ExpertId, string Role, DateTimeOffset CreatedAt, DemoEvaluation? Evaluation);

/// <summary>An evaluation of a demonstration deployment.</summary>
internal sealed record DemoEvaluation(short Rating, string Recommendation, DateTimeOffset EvaluatedAt);

/// <summary>
/// The demonstration data as one story that MIEUX's published figures can be read back from through
/// the reports. Who went where is decided first, the roster is then drawn around it:
/// <list type="bullet">
/// <item>2009-2015: the 71 recorded actions, staffed by 249 experts as the publication counts them: 165
/// from 21 member-state administrations in its split by state, 13 from non-EU administrations, 71 others
/// (52 from the EU, 19 not). The record names Slovakia for three actions, which the published split
/// leaves out: those places go to Slovak academics and NGO staff, who nominate through no member state.</item>
/// <item>2016-2024: 117 synthetic requests, 67 of which became completed actions, so that 2009-2024 counts
/// 188 requests and 138 actions; each year's experts deployed, newcomers, women and civil servants are set
/// in <see cref="Years"/> (2018 as published: 58 deployed, 34 women, 35 civil servants), 465 experts in all.</item>
/// <item>Every deployed expert joined the roster and consented at least two weeks before the first
/// deployment; experts never deployed then fill the pool to the year-end sizes of <see cref="PoolAtYearEnd"/>
/// (2017: 601, 2018: 649, +8 %), and some inactive or unconsenting experts sit outside it.</item>
/// </list>
/// Deterministic: the same reference data give the same story, ids included.
/// </summary>
internal sealed class DemoStory
{
    public const int Seed = 2009;

    /// <summary>Experts of member-state administrations involved in 2009-2015, by state (the 2009-2015 publication).</summary>
    public static readonly (string MemberState, int Experts)[] PublishedMemberStates =
    [
        ("NL", 22), ("FR", 19), ("ES", 16), ("IT", 14), ("PT", 13), ("GB", 10), ("HU", 9), ("AT", 8), ("BE", 8), ("PL", 8), ("SI", 8),
        ("LT", 7), ("RO", 7), ("BG", 3), ("DE", 3), ("CZ", 2), ("DK", 2), ("FI", 2), ("SE", 2), ("GR", 1), ("MT", 1),
    ];

    /// <summary>2009-2015: experts of non-EU administrations (the publication's 13 governmental of 32 from non-EU countries).</summary>
    public const int PublishedSouthExperts = 13;

    /// <summary>2009-2015: experts outside administrations, 52 non-governmental or academic and 19 of the 32 from non-EU countries.</summary>
    public const int PublishedOtherExperts = 71;

    /// <summary>2009-2015: the experts outside administrations who came from non-EU countries (32 minus the 13 governmental).</summary>
    public const int PublishedNonEuOtherExperts = 19;

    /// <summary>One year of the synthetic 2016-2024 record: requests received, actions carried out, and who was deployed.</summary>
    internal sealed record YearPlan(int Year, int Requests, int Actions, int ExpertsDeployed, int Newcomers, int Women, int CivilServants);

    // 2018 is the annual report's; the other years are shaped like it (about 57 % women, 60 % civil
    // servants, fewer missions in 2020), with newcomers adding up to 465 experts deployed in 2009-2024.
    internal static readonly YearPlan[] Years =
    [
        new(2016, 13, 8, 52, 30, 29, 31),
        new(2017, 13, 8, 55, 28, 31, 33),
        new(2018, 13, 8, 58, 27, 34, 35),
        new(2019, 13, 8, 54, 26, 31, 32),
        new(2020, 12, 5, 30, 14, 17, 18),
        new(2021, 13, 7, 40, 20, 23, 24),
        new(2022, 13, 8, 50, 24, 28, 30),
        new(2023, 13, 8, 52, 25, 30, 31),
        new(2024, 14, 7, 45, 22, 26, 27),
    ];

    // The pool on 31 December (2026: on the roster's reference date). 2017 and 2018 are the annual
    // report's (649, +8 %); the other years are a plausible growth around them.
    internal static readonly (int Year, int Pool)[] PoolAtYearEnd =
    [
        (2009, 90), (2010, 170), (2011, 250), (2012, 330), (2013, 400), (2014, 460), (2015, 515), (2016, 560), (2017, 601),
        (2018, 649), (2019, 690), (2020, 715), (2021, 745), (2022, 780), (2023, 815), (2024, 840), (2025, 850), (2026, 856),
    ];

    private const int InactiveExperts = 40;
    private const int UnconsentingExperts = 25;
    private static readonly DateOnly RosterStart = new(2009, 1, 5);

    private static readonly string[] SyntheticActivityTypes =
        ["workshop", "training", "training_of_trainers", "drafting_session", "study_visit", "information_session", "regional_consultation"];

    private static readonly string[] RequestingAuthorities =
        ["Ministry of the Interior", "Ministry of Labour", "Ministry of Foreign Affairs", "Directorate of Migration", "National Police", "Border Police", "National Statistics Office"];

    private readonly ReferenceSnapshot _reference;
    private readonly DemoRoster _roster;
    private readonly Random _random = new(Seed);
    private readonly List<Cast> _cast = [];
    private readonly List<(DemoActivity Activity, Cast Expert, string Role, DemoEvaluation? Evaluation)> _bookings = [];
    private readonly HashSet<Guid> _actionsWithLead = [];
    private readonly List<DemoAction> _actions = [];
    private readonly List<DemoActivity> _activities = [];

    private DemoStory(ReferenceSnapshot reference)
    {
        _reference = reference;
        _roster = new DemoRoster(reference);
        var record = HistoricalRecord.Plan(reference);
        _actions.AddRange(record.Select(r => r.Action));
        _activities.AddRange(record.SelectMany(r => r.Activities));
        CastTheRecord(record);
        var partnerCountries = record.SelectMany(r => r.Action.BeneficiaryCountries).ToHashSet(StringComparer.Ordinal);
        var code = record.Count;
        foreach (var year in Years)
        {
            code = PlanYear(year, code, partnerCountries);
        }

        Experts = DrawExperts();
        var ids = Experts.Take(_cast.Count).Select(e => e.Id).ToArray();
        var perAction = new Dictionary<Guid, int>();
        Deployments = _bookings.Select(b =>
        {
            var number = perAction[b.Activity.Action.Id] = perAction.GetValueOrDefault(b.Activity.Action.Id) + 1;
            return new DemoDeployment(HistoricalRecord.DerivedId($"{b.Activity.Action.Code}/deployment/{number}"), b.Activity, ids[b.Expert.Number], b.Role,
                Noon(b.Activity.From.AddDays(-7)), b.Evaluation);
        }).ToList();
        Actions = _actions;
        Activities = _activities;
    }

    public IReadOnlyList<DemoExpert> Experts { get; }

    public IReadOnlyList<DemoAction> Actions { get; }

    public IReadOnlyList<DemoActivity> Activities { get; }

    public IReadOnlyList<DemoDeployment> Deployments { get; }

    public static DemoStory Build(ReferenceSnapshot reference) => new(reference);

    /// <summary>Casts the 2009-2015 record: the published counts of distinct experts, placed where the record names their origin.</summary>
    private void CastTheRecord(List<RecordedPlan> record)
    {
        var places = record.SelectMany(r => r.Places.Select((origin, index) => new RecordPlace(r, origin, index))).ToList();
        var published = PublishedMemberStates.Select(m => m.MemberState).ToHashSet(StringComparer.Ordinal);

        foreach (var (state, count) in PublishedMemberStates)
        {
            var ofState = places.Where(p => p.Origin.Kind == "eu_member_state" && p.Origin.Country == state).ToList();
            if (ofState.Count == 0)
            {
                throw new InvalidOperationException($"The record names no action with experts of {state}, which the publication counts.");
            }

            var experts = Enumerable.Range(0, count).Select(_ => NewCast("eu_civil_servant", state, state, EarlyGender())).ToList();
            // Every place gets an expert of the state; more experts than places share the actions, fewer go on several.
            for (var j = 0; j < Math.Max(count, ofState.Count); j++)
            {
                Place(experts[j % count], ofState[j % ofState.Count], j / ofState.Count);
            }
        }

        // A place whose member state the record leaves open goes to the least deployed expert already counted.
        foreach (var place in places.Where(p => p.Origin.Kind == "eu_member_state_unspecified"))
        {
            foreach (var expert in _cast.Where(c => c.Kind == "eu_civil_servant").OrderBy(c => c.Booked.Count).ThenBy(c => c.Number).ToList())
            {
                if (Place(expert, place, 0))
                {
                    break;
                }
            }
        }

        var south = places.Where(p => p.Origin.Kind == "non_eu_state").GroupBy(p => p.Origin.Country!).ToList();
        foreach (var country in south)
        {
            var expert = NewCast("south_civil_servant", country.Key, null, EarlyGender());
            foreach (var place in country)
            {
                Place(expert, place, 0);
            }
        }

        var unspecifiedSouth = places.Where(p => p.Origin.Kind == "non_eu_state_unspecified").ToList();
        if (unspecifiedSouth.Count == 0 && south.Count < PublishedSouthExperts)
        {
            throw new InvalidOperationException("The record leaves no place for the South experts the publication counts.");
        }

        var moreSouth = Enumerable.Range(0, Math.Max(0, PublishedSouthExperts - south.Count))
            .Select(i => NewCast("south_civil_servant", SouthNeighbour(unspecifiedSouth[i % unspecifiedSouth.Count].Plan.Action), null, EarlyGender())).ToList();
        for (var j = 0; j < Math.Max(moreSouth.Count, unspecifiedSouth.Count) && moreSouth.Count > 0; j++)
        {
            Place(moreSouth[j % moreSouth.Count], unspecifiedSouth[j % unspecifiedSouth.Count], 0);
        }

        var others = places.Where(p => p.Origin.Kind is "academic" or "ngo" or "private_consultant" or "eu_agency" or "international_organisation"
            || (p.Origin.Kind == "eu_member_state" && !published.Contains(p.Origin.Country!))).ToList();
        var specs = others.SelectMany((place, q) => Enumerable.Range(0, PublishedOtherExperts / others.Count + (q < PublishedOtherExperts % others.Count ? 1 : 0))
            .Select(k => (Place: place, Offset: k, Fixed: place.Origin.Country))).ToList();
        var unfixed = specs.Where(s => s.Fixed is null).ToList();
        var nonEuToDraw = PublishedNonEuOtherExperts - specs.Count(s => s.Fixed is not null && !_reference.WasEverEuMember(s.Fixed));
        foreach (var spec in specs)
        {
            var kind = spec.Place.Origin.Kind == "eu_member_state" ? (spec.Offset % 2 == 0 ? "academic" : "ngo") : spec.Place.Origin.Kind;
            var position = unfixed.IndexOf(spec);
            // Spread the non-EU nationals evenly over the places without a recorded country.
            var nonEu = position >= 0 && (position + 1) * nonEuToDraw / unfixed.Count != position * nonEuToDraw / unfixed.Count;
            var nationality = spec.Fixed ?? Nationality(european: !nonEu, spec.Place.Plan.Action);
            Place(NewCast(kind, nationality, null, EarlyGender()), spec.Place, spec.Offset);
        }
    }

    /// <summary>One synthetic year: its requests (some declined), its actions and activities, and who went.</summary>
    private int PlanYear(YearPlan year, int code, HashSet<string> partnerCountries)
    {
        var actions = new List<DemoAction>();
        var requests = new List<(DateOnly RequestedAt, int Action)>();
        for (var k = 0; k < year.Requests; k++)
        {
            // Spread the carried-out actions evenly among the year's requests; an action's request date
            // follows from its start instead (below), a declined request's is its place in the year.
            var carriedOut = (k + 1) * year.Actions / year.Requests != k * year.Actions / year.Requests;
            requests.Add((new DateOnly(year.Year, 1, 8).AddDays(k * 330 / year.Requests), carriedOut ? k * year.Actions / year.Requests : -1));
        }

        var declined = 0;
        var entries = new List<(DateOnly RequestedAt, Func<string, DemoAction> Make)>();
        foreach (var (requestedAt, index) in requests)
        {
            var (region, countries) = Beneficiaries(partnerCountries, carriedOut: index >= 0);
            var themes = Themes();
            if (index < 0)
            {
                var outcome = declined++ % 3 == 2 ? "transferred" : "rejected";
                entries.Add((requestedAt, c => Synthetic(c, region, countries, themes, requestedAt, null, null, outcome, DemoAction.Declined(requestedAt, outcome))));
                continue;
            }

            var from = new DateOnly(year.Year, 1, 20).AddDays(index * 150 / year.Actions + _random.Next(0, 10));
            var to = from.AddDays(150 + _random.Next(0, 60));
            to = to.Year > year.Year || to > new DateOnly(year.Year, 12, 10) ? new DateOnly(year.Year, 12, 10) : to;
            var asked = from.AddDays(-100);
            entries.Add((asked, c => Synthetic(c, region, countries, themes, asked, from, to, "completed", DemoAction.Workflow(asked, from, to))));
        }

        foreach (var (_, make) in entries.OrderBy(e => e.RequestedAt))
        {
            var action = make($"MIEUX-{++code:D3}");
            _actions.Add(action);
            if (action.From is not null)
            {
                actions.Add(action);
            }
        }

        var activities = actions.SelectMany(SyntheticActivities).ToList();
        _activities.AddRange(activities);
        CastYear(year, activities);
        return code;
    }

    private DemoAction Synthetic(string code, string region, string[] countries, string[] themes, DateOnly requestedAt, DateOnly? from, DateOnly? to,
        string status, IReadOnlyList<(string? From, string To, DateTimeOffset At)> history)
    {
        var names = string.Join(", ", countries.Select(c => _reference.Countries[c].Name.En));
        var title = $"{names}: {ThemeLabel(themes[0])}";
        return new DemoAction(HistoricalRecord.DerivedId($"synthetic/{code}"), code, title.Length <= 300 ? title : title[..299] + "…",
            $"{RequestingAuthorities[_random.Next(RequestingAuthorities.Length)]}, {_reference.Countries[countries[0]].Name.En}",
            countries, null, region, themes, HistoricalRecord.WorkingLanguages(countries, region), requestedAt, from, to, status,
            Noon(requestedAt), history, "Demonstration data (synthetic 2016-2024 record).");
    }

    private List<DemoActivity> SyntheticActivities(DemoAction action)
    {
        var (from, to) = (action.From!.Value, action.To!.Value);
        var count = 4 + _random.Next(0, 4);
        var span = to.DayNumber - from.DayNumber - 10;
        return Enumerable.Range(0, count).Select(k =>
        {
            var type = k == 0 ? "fact_finding_mission" : k == count - 1 ? "validation_conference" : SyntheticActivityTypes[_random.Next(SyntheticActivityTypes.Length)];
            var start = from.AddDays(5 + k * span / count);
            var end = start.AddDays(type == "study_visit" ? 4 : 2);
            var country = type == "study_visit" ? _roster.MemberState(_random, new DateOnly(start.Year, 12, 31)) : action.BeneficiaryCountries[0];
            var title = $"{ActivityLabel(type)}: {ThemeLabel(action.Themes[k % action.Themes.Length])}";
            return new DemoActivity(HistoricalRecord.DerivedId($"synthetic/{action.Code}/activity/{k + 1}"), action, type, title, start, end, country, Noon(from));
        }).ToList();
    }

    /// <summary>
    /// Who went in a synthetic year: returning experts chosen so that the newcomers can make up the
    /// year's women and civil servants exactly, then every expert on one place of a team, then the
    /// teams' remaining places from the same experts.
    /// </summary>
    private void CastYear(YearPlan year, List<DemoActivity> activities)
    {
        var (first, last) = (new DateOnly(year.Year, 1, 1), new DateOnly(year.Year, 12, 31));
        var returning = new List<Cast>();
        var (women, civilServants) = (0, 0);
        var candidates = _cast
            .Where(c => c.Booked.Count > 0 && c.FirstDay < first && !c.NotToRedeploy)
            .Where(c => c.MemberState is null || (_reference.IsEuMember(c.MemberState, first) && _reference.IsEuMember(c.MemberState, last)))
            .OrderBy(_ => _random.Next()).ToList();
        foreach (var candidate in candidates)
        {
            if (returning.Count == year.ExpertsDeployed - year.Newcomers)
            {
                break;
            }

            var (isWoman, isCivilServant) = (candidate.Gender == "female", candidate.IsCivilServant);
            if (women + (isWoman ? 1 : 0) <= year.Women && civilServants + (isCivilServant ? 1 : 0) <= year.CivilServants)
            {
                returning.Add(candidate);
                women += isWoman ? 1 : 0;
                civilServants += isCivilServant ? 1 : 0;
            }
        }

        var (newWomen, newCivilServants) = (year.Women - women, year.CivilServants - civilServants);
        if (returning.Count != year.ExpertsDeployed - year.Newcomers || newWomen > year.Newcomers || newCivilServants > year.Newcomers)
        {
            throw new InvalidOperationException($"The demonstration year {year.Year} cannot be cast as planned.");
        }

        var genders = Enumerable.Range(0, year.Newcomers).Select(i => i < newWomen ? "female" : _random.NextDouble() < 0.96 ? "male" : "undisclosed")
            .OrderBy(_ => _random.Next()).ToList();
        var newcomers = Enumerable.Range(0, year.Newcomers).Select(i =>
        {
            var kind = i < newCivilServants ? (_random.NextDouble() < 0.85 ? "eu_civil_servant" : "south_civil_servant") : OtherKind();
            var (nationality, memberState) = Origin(kind, last);
            return NewCast(kind, nationality, memberState, genders[i]);
        }).ToList();

        var team = returning.Concat(newcomers).OrderBy(_ => _random.Next()).ToList();
        var places = activities.SelectMany(a => Enumerable.Repeat(a, 1 + _random.Next(0, 3))).OrderBy(_ => _random.Next()).ToList();
        var filled = new bool[places.Count];
        foreach (var expert in team)
        {
            var slot = Enumerable.Range(0, places.Count).FirstOrDefault(i => !filled[i] && Fits(expert, places[i]), -1);
            if (slot >= 0)
            {
                filled[slot] = true;
                Book(expert, places[slot]);
            }
            else if (activities.FirstOrDefault(a => Fits(expert, a)) is { } extra)
            {
                Book(expert, extra);
            }
            else
            {
                throw new InvalidOperationException($"No activity of {year.Year} fits a demonstration expert.");
            }
        }

        for (var i = 0; i < places.Count; i++)
        {
            if (!filled[i] && team.Where(e => Fits(e, places[i])).OrderBy(e => e.Booked.Count).ThenBy(e => e.Number).FirstOrDefault() is { } expert)
            {
                Book(expert, places[i]);
            }
        }
    }

    /// <summary>
    /// The roster: the cast first (in cast order, so that deployments find them by number), joined and
    /// consented two weeks to a year and a half before their first deployment; then experts never
    /// deployed, joining so that the pool has its year-end sizes; then inactive and unconsenting ones.
    /// </summary>
    private List<DemoExpert> DrawExperts()
    {
        var experts = new List<DemoExpert>();
        var joinsByYear = new Dictionary<int, int>();
        foreach (var cast in _cast)
        {
            var latest = cast.FirstDay.AddDays(-14);
            var created = latest.AddDays(-_random.Next(0, 540));
            created = created < RosterStart ? RosterStart : created;
            var consent = created.AddDays(_random.Next(0, Math.Min(30, latest.DayNumber - created.DayNumber) + 1));
            joinsByYear[consent.Year] = joinsByYear.GetValueOrDefault(consent.Year) + 1;
            var expert = _roster.Person(_random, experts.Count, Seed, new ExpertSketch(cast.Kind, cast.Nationality, cast.MemberState, cast.Gender,
                Noon(created), Noon(consent), "active"));
            // Where they went is experience they would declare.
            experts.Add(expert with
            {
                CountriesOfExperience = expert.CountriesOfExperience.Concat(cast.Booked.SelectMany(b => b.Action.BeneficiaryCountries))
                    .Where(c => c != cast.Nationality).Distinct().Order(StringComparer.Ordinal).ToArray(),
            });
        }

        var pool = 0;
        foreach (var (year, target) in PoolAtYearEnd)
        {
            var joining = target - pool - joinsByYear.GetValueOrDefault(year);
            if (joining < 0)
            {
                throw new InvalidOperationException($"More demonstration experts joined in {year} than the pool's growth allows.");
            }

            var end = year == DemoRoster.ReferenceDate.Year ? DemoRoster.ReferenceDate.AddDays(-1) : new DateOnly(year, 12, 20);
            for (var i = 0; i < joining; i++)
            {
                var created = new DateOnly(year, 1, 2).AddDays(_random.Next(0, end.DayNumber - new DateOnly(year, 1, 2).DayNumber - 20));
                experts.Add(Filler(experts.Count, created, created.AddDays(_random.Next(0, 20)), "active"));
            }

            pool = target;
        }

        var span = DemoRoster.ReferenceDate.DayNumber - RosterStart.DayNumber;
        for (var i = 0; i < InactiveExperts + UnconsentingExperts; i++)
        {
            var created = RosterStart.AddDays(_random.Next(0, span));
            experts.Add(i < InactiveExperts ? Filler(experts.Count, created, created.AddDays(_random.Next(0, 20)), "inactive") : Filler(experts.Count, created, null, "active"));
        }

        return experts;
    }

    private DemoExpert Filler(int index, DateOnly created, DateOnly? consent, string status)
    {
        var kind = DemoRoster.Kind(_random);
        var (nationality, memberState) = Origin(kind, created);
        return _roster.Person(_random, index, Seed, new ExpertSketch(kind, nationality, memberState, DemoRoster.Gender(_random), Noon(created),
            consent is { } day ? Noon(day) : null, status));
    }

    /// <summary>Nationality and nominating member state for a kind: an EU civil servant's state was a member on the day.</summary>
    private (string Nationality, string? MemberState) Origin(string kind, DateOnly on)
    {
        if (kind == "eu_civil_servant")
        {
            var state = _roster.MemberState(_random, on);
            return (state, state);
        }

        return kind == "south_civil_servant"
            ? (DemoRoster.SouthCountry(_random), null)
            : (_roster.OtherNationality(_random, european: _random.NextDouble() < 0.75), null);
    }

    /// <summary>
    /// Books an expert on one activity of a recorded place, trying the place's activity first, then the next
    /// ones. Only the days are checked: where the record names an origin, that origin went.
    /// </summary>
    private bool Place(Cast expert, RecordPlace place, int offset)
    {
        var activities = place.Plan.Activities;
        for (var k = 0; k < activities.Count; k++)
        {
            var activity = activities[(place.Index + offset + k) % activities.Count];
            if (expert.IsFree(activity))
            {
                Book(expert, activity);
                return true;
            }
        }

        return false;
    }

    /// <summary>Free on the days, and not a national of a beneficiary country (a conflict of interest).</summary>
    private static bool Fits(Cast expert, DemoActivity activity) =>
        expert.IsFree(activity) && !activity.Action.BeneficiaryCountries.Contains(expert.Nationality);

    private void Book(Cast expert, DemoActivity activity)
    {
        expert.Booked.Add(activity);
        var role = _actionsWithLead.Add(activity.Action.Id) ? "lead_expert" : "expert";
        DemoEvaluation? evaluation = null;
        if (activity.Action.Status == "completed")
        {
            var draw = _random.NextDouble();
            var recommendation = draw < 0.03 ? "do_not_redeploy" : draw < 0.15 ? "redeploy_other_area" : "redeploy";
            expert.NotToRedeploy |= recommendation == "do_not_redeploy";
            evaluation = new DemoEvaluation((short)(draw < 0.05 ? 2 : draw < 0.25 ? 3 : draw < 0.65 ? 4 : 5), recommendation, Noon(activity.To.AddDays(14)));
        }

        _bookings.Add((activity, expert, role, evaluation));
    }

    private Cast NewCast(string kind, string nationality, string? memberState, string gender)
    {
        var cast = new Cast(_cast.Count, kind, nationality, memberState, gender);
        _cast.Add(cast);
        return cast;
    }

    /// <summary>No gender split is published for 2009-2015: about half women.</summary>
    private string EarlyGender() => _random.NextDouble() switch { < 0.52 => "female", < 0.99 => "male", _ => "undisclosed" };

    private string OtherKind() => _random.Next(40) switch { < 12 => "academic", < 24 => "private_consultant", < 32 => "ngo", < 37 => "eu_agency", _ => "international_organisation" };

    /// <summary>A nationality for an expert outside administrations, never one of the action's beneficiaries.</summary>
    private string Nationality(bool european, DemoAction action)
    {
        while (true)
        {
            var nationality = _roster.OtherNationality(_random, european);
            if (!action.BeneficiaryCountries.Contains(nationality))
            {
                return nationality;
            }
        }
    }

    /// <summary>A South administration's country in the action's region but not among its beneficiaries (Senegal when none).</summary>
    private string SouthNeighbour(DemoAction action) =>
        _reference.Regions.Where(r => r.Code == action.Region).SelectMany(r => r.Countries)
            .Where(c => DemoPeople.HasMobileNumbers(c) && !_reference.WasEverEuMember(c) && !action.BeneficiaryCountries.Contains(c))
            .Order(StringComparer.Ordinal).FirstOrDefault() ?? "SN";

    /// <summary>
    /// One or two beneficiaries of one region, countries not yet partners first, so that the actions of
    /// 2009-2024 reach over 100 countries as MIEUX's did. Only actions carried out make partners.
    /// </summary>
    private (string Region, string[] Countries) Beneficiaries(HashSet<string> partnerCountries, bool carriedOut)
    {
        var regions = _reference.Regions.Where(r => r.Countries.Count > 0).OrderBy(r => r.Code, StringComparer.Ordinal).ToArray();
        var withFresh = regions.Where(r => r.Countries.Any(c => !partnerCountries.Contains(c))).ToArray();
        var region = withFresh.Length > 0 && _random.NextDouble() < 0.8 ? withFresh[_random.Next(withFresh.Length)] : regions[_random.Next(regions.Length)];
        var countries = region.Countries.Order(StringComparer.Ordinal).ToArray();
        string Next(ISet<string> taken)
        {
            var fresh = countries.Where(c => !partnerCountries.Contains(c) && !taken.Contains(c)).ToArray();
            return fresh.Length > 0 ? fresh[_random.Next(fresh.Length)] : countries[_random.Next(countries.Length)];
        }

        var chosen = new SortedSet<string>(StringComparer.Ordinal);
        chosen.Add(Next(chosen));
        if (_random.NextDouble() < 0.35)
        {
            chosen.Add(Next(chosen));
        }

        if (carriedOut)
        {
            partnerCountries.UnionWith(chosen);
        }

        return (region.Code, chosen.ToArray());
    }

    private string[] Themes()
    {
        var subThemes = _reference.ThemeCodes.Where(c => c.Contains('.', StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        return Enumerable.Range(0, 1 + _random.Next(0, 3)).Select(_ => subThemes[_random.Next(subThemes.Length)]).Distinct().ToArray();
    }

    private string ThemeLabel(string code) =>
        _reference.ThemeTree.SelectMany(a => a.Children.Prepend(a)).First(t => t.Code == code).Label.En;

    private static string ActivityLabel(string type) => char.ToUpperInvariant(type[0]) + type[1..].Replace('_', ' ');

    private static DateTimeOffset Noon(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    private sealed record RecordPlace(RecordedPlan Plan, RecordedOrigin Origin, int Index);

    private sealed class Cast(int number, string kind, string nationality, string? memberState, string gender)
    {
        public int Number { get; } = number;
        public string Kind { get; } = kind;
        public string Nationality { get; } = nationality;
        public string? MemberState { get; } = memberState;
        public string Gender { get; } = gender;
        public List<DemoActivity> Booked { get; } = [];
        public bool NotToRedeploy { get; set; }
        public bool IsCivilServant => Kind is "eu_civil_servant" or "south_civil_servant";
        public DateOnly FirstDay => Booked.Min(b => b.From);
        public bool IsFree(DemoActivity activity) => !Booked.Any(b => b.From <= activity.To && activity.From <= b.To);
    }
}
