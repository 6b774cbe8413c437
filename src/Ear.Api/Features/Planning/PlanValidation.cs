using Ear.Api.Features.Actions;
using Ear.Api.Features.Matching;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Errors;
using Ear.Matching;
using Ear.Matching.Planning;

namespace Ear.Api.Features.Planning;

/// <summary>An action as planning reads it: the action, its activities, and who is deployed on each (live deployments).</summary>
internal sealed record ActionToPlan(ActionRow Action, IReadOnlyList<ActivityRow> Activities, ILookup<Guid, Guid> DeployedOn);

/// <summary>A valid plan request: the activities to staff with their teams, and the settings with defaults filled in.</summary>
internal sealed record PlanInput(IReadOnlyList<(ActivityRow Activity, TeamSpec Team)> Activities, PlanSettings Settings);

internal static class PlanValidation
{
    public const int MaxActivities = 30;
    public const int MaxActivitiesPerExpert = 12;

    /// <summary>The team size planned for an activity of each type when the request gives none.</summary>
    public static readonly IReadOnlyDictionary<string, int> DefaultSizes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["fact_finding_mission"] = 2,
        ["information_session"] = 2,
        ["workshop"] = 2,
        ["training"] = 3,
        ["training_of_trainers"] = 3,
        ["drafting_session"] = 2,
        ["study_visit"] = 2,
        ["regional_consultation"] = 3,
        ["remote_support"] = 1,
        ["validation_conference"] = 2,
    };

    public static readonly PlanSettings Defaults = new(ContinuityBonus: 0.05, MaxActivitiesPerExpert: 3, TimeLimitSeconds: 2);

    /// <summary>Every failing field is named; null when any fails.</summary>
    public static PlanInput? Validate(PlanRequest request, ActionToPlan action, ValidationErrors errors)
    {
        var bonus = request.ContinuityBonus ?? Defaults.ContinuityBonus;
        if (!double.IsFinite(bonus) || bonus is < 0 or > 1)
        {
            errors.Add("continuityBonus", "A number from 0 to 1.");
        }

        var cap = request.MaxActivitiesPerExpert ?? Defaults.MaxActivitiesPerExpert;
        if (cap is < 1 or > MaxActivitiesPerExpert)
        {
            errors.Add("maxActivitiesPerExpert", $"A whole number from 1 to {MaxActivitiesPerExpert}.");
        }

        var seconds = request.TimeLimitSeconds ?? Defaults.TimeLimitSeconds;
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > Planner.MaxTimeLimitSeconds)
        {
            errors.Add("timeLimitSeconds", $"More than 0 and at most {Planner.MaxTimeLimitSeconds} seconds.");
        }

        var activities = request.Activities is null
            ? action.Activities.Where(a => action.DeployedOn[a.Id].Count() < DefaultSizes[a.Type]).Select(a => (a, new TeamSpec(DefaultSizes[a.Type]))).ToList()
            : Activities(request.Activities, action, errors);
        return errors.Any ? null : new PlanInput(activities, new PlanSettings(bonus, cap, seconds));
    }

    /// <summary>The matching criteria the action's fields make (as POST /actions/{id}/matching reads them: themes of weight 1, working languages at B2 not required).</summary>
    public static PlanCriteria Criteria(ActionToPlan action, PlanInput input, ReferenceSnapshot reference)
    {
        var countries = action.Action.BeneficiaryCountries.ToHashSet(StringComparer.Ordinal);
        var region = action.Action.Region ?? reference.SharedRegion(countries);
        var regionCountries = reference.Regions.FirstOrDefault(r => r.Code == region)?.Countries.ToHashSet(StringComparer.Ordinal) ?? [];
        regionCountries.UnionWith(countries);
        LanguageLevels.TryRank("B2", out var b2);
        var first = input.Activities[0].Activity;
        return new PlanCriteria
        {
            Action = new MatchCriteria
            {
                Themes = action.Action.Themes.Select(t => new ThemeNeed(t, 1)).ToList(),
                BeneficiaryCountries = countries,
                RegionCountries = regionCountries,
                Languages = action.Action.WorkingLanguages.Select(l => new LanguageNeed(l.Trim(), b2, Required: false)).ToList(),
                Period = new DayRange(first.From, first.To),
            },
            Activities = input.Activities.Select(a => new PlanActivity(a.Activity.Id, new DayRange(a.Activity.From, a.Activity.To), a.Team,
                action.DeployedOn[a.Activity.Id].ToList())).ToList(),
            ContinuityBonus = input.Settings.ContinuityBonus,
            MaxActivitiesPerExpert = input.Settings.MaxActivitiesPerExpert,
            ActionDeployments = action.DeployedOn.SelectMany(g => g).GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count()),
            TimeLimit = TimeSpan.FromSeconds(input.Settings.TimeLimitSeconds),
        };
    }

    private static List<(ActivityRow, TeamSpec)> Activities(IReadOnlyList<PlanActivityRequest> requested, ActionToPlan action, ValidationErrors errors)
    {
        if (requested.Count is 0 or > MaxActivities)
        {
            errors.Add("activities", $"From 1 to {MaxActivities} activities (or leave it out to plan every activity whose team is not full).");
        }

        var activities = new List<(ActivityRow, TeamSpec)>();
        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"activities[{i}]";
            if (requested[i] is not { } entry)
            {
                errors.Add(field, "Required.");
                continue;
            }

            var activity = action.Activities.FirstOrDefault(a => a.Id == entry.ActivityId);
            if (entry.ActivityId is null)
            {
                errors.Add($"{field}.activityId", "Required.");
            }
            else if (activity is null)
            {
                errors.Add($"{field}.activityId", $"{entry.ActivityId} is not an activity of this action (see GET /api/v1/actions/{action.Action.Id}/activities).");
            }
            else if (activities.Any(a => a.Item1.Id == activity.Id))
            {
                errors.Add($"{field}.activityId", $"{activity.Id} is listed twice.");
            }

            var size = entry.Size ?? (activity is null ? 1 : DefaultSizes[activity.Type]);
            if (size is < 1 or > TeamRequest.MaxSize)
            {
                errors.Add($"{field}.size", $"A whole number from 1 to {TeamRequest.MaxSize}.");
            }

            foreach (var (name, value) in new[] { ("minEu", entry.MinEu), ("minSouth", entry.MinSouth), ("maxOther", entry.MaxOther), ("maxPerCountry", entry.MaxPerCountry), ("minWomen", entry.MinWomen) })
            {
                if (value is < 0 or > TeamRequest.MaxSize)
                {
                    errors.Add($"{field}.{name}", $"A whole number from 0 to {TeamRequest.MaxSize}.");
                }
            }

            if (entry.MaxPerCountry == 0)
            {
                errors.Add($"{field}.maxPerCountry", "At least 1 (or leave it out).");
            }

            if (activity is not null)
            {
                activities.Add((activity, new TeamSpec(size, entry.MinEu ?? 0, entry.MinSouth ?? 0, entry.MaxOther, entry.MaxPerCountry, entry.MinWomen ?? 0)));
            }
        }

        return activities;
    }
}
