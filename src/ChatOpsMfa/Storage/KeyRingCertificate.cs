using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Loads the certificate named by <see cref="KeyRingOptions"/>. Data Protection takes it when the services are
/// registered, so it is loaded then: every problem stops start-up with a message naming the key, never the password.
/// </summary>
internal static class KeyRingCertificate
{
    private const string PathKey = KeyRingOptions.SectionName + ":Path";
    private const string PasswordKey = KeyRingOptions.SectionName + ":Password";

    /// <summary>The certificate, or null when none is configured.</summary>
    public static X509Certificate2? Load(KeyRingOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            return null;
        }

        if (!File.Exists(settings.Path))
        {
            throw new InvalidOperationException($"{PathKey} names a file that does not exist.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.Path, settings.Password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            // Not passed on as the inner exception: it describes the file's contents, and the cause is nearly always the password.
            throw new InvalidOperationException(
                $"The certificate in {PathKey} could not be opened: it is not a PKCS#12 (.pfx) file with its private key, or {PasswordKey} is wrong.");
        }

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The certificate in {PathKey} has no RSA private key; the key ring needs one to decrypt its keys.");
        }

        return certificate;
    }
}
