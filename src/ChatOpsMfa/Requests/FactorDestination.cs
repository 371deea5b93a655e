using ChatOpsMfa.Cards;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Decides where an SMS, voice or email factor sends its codes. For someone else (the help desk asking on their
/// behalf), only the target's Okta profile counts (<c>mobilePhone</c>, then <c>primaryPhone</c>; <c>email</c>):
/// a help desk that could type the destination could point a colleague's new factor at its own phone. For oneself,
/// the requester types it (a lost phone often means a new number), and approvers are told whether Okta knows it.
/// </summary>
public static class FactorDestination
{
    /// <summary>The factor with its destination and where it came from, or why it cannot be set up.</summary>
    public static (FactorRequest? Factor, string? Refusal) Settle(FactorRequest factor, OktaUserProfile target, bool onBehalf)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(target);
        var needs = FactorCatalog.Find(factor.FactorType, factor.Provider)?.Needs ?? FactorProfileNeed.None;
        if (onBehalf && (factor.PhoneNumber is not null || factor.Email is not null))
        {
            return (null, HelpDeskTyped);
        }

        return needs switch
        {
            FactorProfileNeed.PhoneNumber when onBehalf => FromProfilePhone(factor, target),
            FactorProfileNeed.PhoneNumber => (factor with { DestinationSource = TypedPhoneSource(factor.PhoneNumber, target) }, null),
            FactorProfileNeed.Email when onBehalf => FromProfileEmail(factor, target),
            FactorProfileNeed.Email => (factor with { DestinationSource = TypedEmailSource(factor.Email, target) }, null),
            _ => (factor with { PhoneNumber = null, Email = null }, null),
        };
    }

    /// <summary>Why a form filled in by the help desk with a phone number or email is refused.</summary>
    public const string HelpDeskTyped =
        "For someone else, SMS, voice and email codes go only to the phone or email in their Okta profile: a number or " +
        "address typed by the help desk is never used. Leave it empty, or ask them to send /mfa-reset themselves if it " +
        "changed. Nothing was requested.";

    /// <summary>The destination as people may see it: "+1 ••• ••• 4567", "a•••@example.com"; null when the factor needs none.</summary>
    public static string? Masked(FactorRequest factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        return FactorCatalog.Find(factor.FactorType, factor.Provider)?.Needs switch
        {
            FactorProfileNeed.PhoneNumber => PhoneMasking.Mask(factor.PhoneNumber),
            FactorProfileNeed.Email => EmailMasking.Mask(factor.Email),
            _ => null,
        };
    }

    private static (FactorRequest?, string?) FromProfilePhone(FactorRequest factor, OktaUserProfile target)
    {
        foreach (var (field, value) in ProfilePhones(target))
        {
            if (RequestForm.NormalisePhone(value) is { } phone)
            {
                return (factor with { PhoneNumber = phone, DestinationSource = $"the {field} in {target.DisplayName}'s Okta profile" }, null);
            }
        }

        return (null,
            $"{target.DisplayName} has no mobile or primary phone in international format (like {RequestFormCard.PhoneExample}) " +
            $"in their Okta profile, so I can't send {factor.Label} codes on the help desk's word. Ask them to send " +
            "/mfa-reset themselves and type their number, or choose another method. Nothing was requested.");
    }

    private static (FactorRequest?, string?) FromProfileEmail(FactorRequest factor, OktaUserProfile target) =>
        CardValues.IsEmail(target.Email)
            ? (factor with { Email = target.Email!.Trim(), DestinationSource = $"the email in {target.DisplayName}'s Okta profile" }, null)
            : (null, $"{target.DisplayName} has no email in their Okta profile, so I can't set up {factor.Label} for them. Please choose another method. Nothing was requested.");

    private static string TypedPhoneSource(string? typed, OktaUserProfile target)
    {
        var known = ProfilePhones(target).FirstOrDefault(p => typed is not null && RequestForm.NormalisePhone(p.Value) == typed);
        return known.Field is null
            ? "typed by the requester; not a phone in their Okta profile"
            : $"typed by the requester; matches the {known.Field} in their Okta profile";
    }

    private static string TypedEmailSource(string? typed, OktaUserProfile target) =>
        typed is not null && string.Equals(typed.Trim(), target.Email?.Trim(), StringComparison.OrdinalIgnoreCase)
            ? "typed by the requester; matches the email in their Okta profile"
            : "typed by the requester; not the email in their Okta profile";

    private static IEnumerable<(string Field, string? Value)> ProfilePhones(OktaUserProfile target) =>
        [("mobilePhone", target.MobilePhone), ("primaryPhone", target.PrimaryPhone)];
}
