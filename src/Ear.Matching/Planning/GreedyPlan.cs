namespace Ear.Matching.Planning;

/// <summary>
/// A quick valid plan, given to the solver as its first hint and kept as the answer should the time
/// limit end the search before the solver finds one of its own: activities in date order, each taking
/// its best free candidates that keep its maxima and leave room for its minima; an activity whose team
/// does not meet every constraint this way is left unstaffed. No claim of quality beyond validity.
/// </summary>
internal static class GreedyPlan
{
    /// <summary>The members (expert indexes) of each activity it staffs, by activity index.</summary>
    public static Dictionary<int, List<Scored>> Build(PlanProblem problem, IReadOnlyList<int> activities)
    {
        var booked = new Dictionary<int, List<DayRange>>();
        var teams = new Dictionary<int, List<Scored>>();
        foreach (var a in activities.OrderBy(a => problem.Activities[a].Activity.Days.From))
        {
            var activity = problem.Activities[a];
            var team = new List<Scored>();
            foreach (var candidate in activity.Kept)
            {
                if (team.Count == activity.Needed)
                {
                    break;
                }

                var days = booked.GetValueOrDefault(candidate.Expert) ?? [];
                if (days.Any(d => d.Overlaps(activity.Activity.Days)) || days.Count + problem.Experts[candidate.Expert].AlreadyDeployed >= problem.Cap)
                {
                    continue;
                }

                team.Add(candidate);
                if (!MayStillMeet(problem, activity, team))
                {
                    team.RemoveAt(team.Count - 1);
                }
            }

            if (team.Count == activity.Needed && Meets(problem, activity, team))
            {
                teams[a] = team;
                foreach (var member in team)
                {
                    (booked.TryGetValue(member.Expert, out var days) ? days : booked[member.Expert] = []).Add(activity.Activity.Days);
                }
            }
        }

        return teams;
    }

    private static List<Traits> Whole(PlanProblem problem, ActivityProblem activity, List<Scored> team) =>
        [.. activity.Fixed, .. team.Select(m => problem.Experts[m.Expert].Traits)];

    /// <summary>The maxima hold, and the places left can still bring every minimum, theme and language missing.</summary>
    private static bool MayStillMeet(PlanProblem problem, ActivityProblem activity, List<Scored> team)
    {
        var spec = activity.Activity.Team;
        var whole = Whole(problem, activity, team);
        var left = activity.Needed - team.Count;
        var missingEu = Math.Max(0, spec.MinEu - whole.Count(t => t.Origin == Origin.Eu));
        var missingSouth = Math.Max(0, spec.MinSouth - whole.Count(t => t.Origin == Origin.South));
        var missingWomen = Math.Max(0, spec.MinWomen - whole.Count(t => t.IsWoman));
        var themes = whole.Aggregate(0UL, (held, t) => held | t.Themes);
        var languages = whole.Aggregate(0UL, (spoken, t) => spoken | t.Languages);
        var missingThemes = Enumerable.Range(0, problem.Themes.Count).Count(i => (themes & (1UL << i)) == 0);
        var missingLanguages = Enumerable.Range(0, problem.Languages.Count).Count(j => (languages & (1UL << j)) == 0);
        return (spec.MaxOther is not { } maxOther || whole.Count(t => t.Origin == Origin.Other) <= maxOther)
            && (spec.MaxPerCountry is not { } perCountry || whole.GroupBy(t => t.Nationality, StringComparer.Ordinal).All(g => g.Count() <= perCountry))
            && missingEu + missingSouth <= left && missingWomen <= left && missingThemes <= left && missingLanguages <= left;
    }

    private static bool Meets(PlanProblem problem, ActivityProblem activity, List<Scored> team)
    {
        var spec = activity.Activity.Team;
        var whole = Whole(problem, activity, team);
        var themes = whole.Aggregate(0UL, (held, t) => held | t.Themes);
        var languages = whole.Aggregate(0UL, (spoken, t) => spoken | t.Languages);
        return MayStillMeet(problem, activity, team)
            && whole.Count(t => t.Origin == Origin.Eu) >= spec.MinEu
            && whole.Count(t => t.Origin == Origin.South) >= spec.MinSouth
            && whole.Count(t => t.IsWoman) >= spec.MinWomen
            && Enumerable.Range(0, problem.Themes.Count).All(i => (themes & (1UL << i)) != 0)
            && Enumerable.Range(0, problem.Languages.Count).All(j => (languages & (1UL << j)) != 0);
    }
}
