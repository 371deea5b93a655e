using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Reads and checks the request form's values (the same keys on every platform: <see cref="RequestFormInputs"/>).
/// Problems are described without echoing what was typed, so a mistyped secret never lands in a chat.
/// </summary>
public static partial class RequestForm
{
    /// <param name="onBehalf">
    /// The help desk filled the form in for someone else: the phone number or email then comes from that person's Okta
    /// profile (<see cref="FactorDestination"/>), and one typed into the form is refused.
    /// </param>
    public static (FactorRequest? Factor, FormProblem? Problem) Read(JsonObject value, bool onBehalf = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var kind = RequestFormCard.ParseChoice(CardValues.Text(value, RequestFormInputs.Factor));
        if (kind is null)
        {
            return (null, new FormProblem(RequestFormInputs.Factor,
                "Please choose one of the factors offered on the form. That factor and provider can't be enrolled in Okta."));
        }

        if (!FactorCatalog.CanFinishInChat(kind))
        {
            return (null, new FormProblem(RequestFormInputs.Factor,
                $"{kind.Label} can't be set up through chat (it needs a browser or the token itself). Please choose another factor; nothing was requested."));
        }

        if (onBehalf && kind.Needs is FactorProfileNeed.PhoneNumber or FactorProfileNeed.Email)
        {
            var typedInput = new[] { RequestFormInputs.PhoneNumber, RequestFormInputs.Email }
                .FirstOrDefault(input => !string.IsNullOrWhiteSpace(CardValues.Text(value, input)));
            return typedInput is null
                ? (new FactorRequest(kind.FactorType, kind.Provider, kind.Label), null)
                : (null, new FormProblem(typedInput, FactorDestination.HelpDeskTyped));
        }

        switch (kind.Needs)
        {
            case FactorProfileNeed.PhoneNumber:
                var phone = NormalisePhone(CardValues.Text(value, RequestFormInputs.PhoneNumber));
                return phone is null
                    ? (null, new FormProblem(RequestFormInputs.PhoneNumber,
                        $"{kind.Label} needs your phone number in international format, like {RequestFormCard.PhoneExample}. Nothing was requested yet."))
                    : (new FactorRequest(kind.FactorType, kind.Provider, kind.Label, PhoneNumber: phone), null);
            case FactorProfileNeed.Email:
                var email = CardValues.Text(value, RequestFormInputs.Email)?.Trim();
                return !CardValues.IsEmail(email)
                    ? (null, new FormProblem(RequestFormInputs.Email,
                        $"{kind.Label} needs an email address, like name@example.com. Nothing was requested yet."))
                    : (new FactorRequest(kind.FactorType, kind.Provider, kind.Label, Email: email!), null);
            case FactorProfileNeed.SecurityQuestion:
                return (null, new FormProblem(RequestFormInputs.Factor,
                    "Security questions can't be set up through chat. Please choose another factor."));
            default:
                return (new FactorRequest(kind.FactorType, kind.Provider, kind.Label), null);
        }
    }

    /// <summary>The number in E.164 (<c>+14155550123</c>) with separators removed, or null when it is not one.</summary>
    public static string? NormalisePhone(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var compact = SeparatorPattern().Replace(input.Trim(), "");
        return E164Pattern().IsMatch(compact) ? compact : null;
    }

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex(@"[\s\-\(\)\.]")]
    private static partial Regex SeparatorPattern();

}
