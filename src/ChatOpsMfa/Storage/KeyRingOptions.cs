namespace ChatOpsMfa.Storage;

/// <summary>
/// How the Data Protection key ring is protected at rest (section <c>DataProtection:Certificate</c>). Without a
/// certificate the keys are stored unencrypted in the database, so whoever copies the file can read the outbox.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection:Certificate";

    /// <summary>A PKCS#12 (.pfx) file with an RSA certificate and its private key; the key ring is encrypted to it.</summary>
    public string? Path { get; set; }

    /// <summary>The PFX file's password. A secret: set it through an environment variable or a secret store.</summary>
    public string? Password { get; set; }
}
