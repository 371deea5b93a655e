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
                "Then enter the 6-digit code from the app when Okta asks for it.",
            "push" => "Open Okta Verify on your new device, add an account, and scan the QR code. Then follow the prompts.",
            "sms" => "Okta will text a code to your phone. Enter it when Okta asks for it.",
            "call" => "Okta will call your phone with a code. Enter it when Okta asks for it.",
            "email" => "Okta will email you a code. Enter it when Okta asks for it.",
            _ => $"Sign in to Okta and follow the prompts to finish setting up {factor.Label}.",
        };
    }
}
