using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>Default "what to do now" text for a newly enrolled factor, in calm, plain words.</summary>
public static class ActivationInstructions
{
    public static string For(FactorKind factor, string factorStatus)
    {
        ArgumentNullException.ThrowIfNull(factor);
        if (string.Equals(factorStatus, "ACTIVE", StringComparison.OrdinalIgnoreCase))
        {
            return $"{factor.Label} is active. Use it the next time you sign in.";
        }

        return factor.FactorType switch
        {
            "token:software:totp" =>
                "Open your authenticator app on your new device, add an account, and scan the QR code (or type the setup key). " +
                "Then type the 6-digit code the app shows into the next card, here in this chat.",
            "push" => "Open Okta Verify on your new device, add an account, and scan the QR code. This chat tells you when Okta confirms it.",
            "sms" => "Okta is texting a code to your phone. Type it into the next card, here in this chat.",
            "call" => "Okta is calling your phone with a code. Type it into the next card, here in this chat.",
            "email" => "Okta is emailing you a code. Type it into the next card, here in this chat.",
            _ => $"Sign in to Okta and follow the prompts to finish setting up {factor.Label}.",
        };
    }
}
