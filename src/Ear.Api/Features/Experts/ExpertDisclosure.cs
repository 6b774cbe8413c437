namespace Ear.Api.Features.Experts;

/// <summary>
/// What a focal point learns about experts outside its member state: nothing. A read, update, export or
/// erasure of such an expert answers 404 exactly like an id that does not exist (the scope is in each
/// statement's WHERE). Two writes meet the whole roster and need a rule of their own, kept here so that
/// the JSON and CSV paths answer alike:
/// <list type="bullet">
/// <item>E-mail addresses stay unique across the roster (one person, one profile: matching and the
/// statistics count people). A focal point whose address is taken gets one answer whoever holds it, one
/// of its own experts or another member state's, and no expert is named. "Some profile has this address"
/// is the one bit a unique index cannot help giving away, and all the answer says; an admin is told
/// which expert holds it.</item>
/// <item>The import's id column: a focal point's import adds new experts and EAR chooses their ids, so an
/// id it sends is refused with one answer whether it is unknown, erased, another member state's or its
/// own; no answer depends on which ids exist.</item>
/// </list>
/// </summary>
internal static class ExpertDisclosure
{
    public const string EmailUnusableTitle = "This e-mail address cannot be used.";

    public const string EmailUnusable =
        "This address cannot be given to this expert: every expert needs an address of their own. Check it, or ask the MIEUX team.";

    public const string ImportIdRefused = "A focal point's import adds new experts and EAR chooses their ids: leave id empty.";
}
