namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// One file in the fake Slack, through the external upload's steps: a ticket from files.getUploadURLExternal (name and
/// declared length), the bytes sent to its upload URL, the one completion that shares it, and its deletion.
/// </summary>
internal sealed class FakeSlackFile(string id, string ticket, string fileName, long length, string? altText)
{
    public string Id { get; } = id;

    public string Ticket { get; } = ticket;

    public string FileName { get; } = fileName;

    public long DeclaredLength { get; } = length;

    public string? AltText { get; } = altText;

    /// <summary>The bytes received at the upload URL; null until an upload of the declared length arrived.</summary>
    public byte[]? Bytes { get; set; }

    public bool Completed { get; set; }

    /// <summary>Where files.completeUploadExternal shared it (null: private).</summary>
    public string? SharedIn { get; set; }

    public string? Title { get; set; }

    public bool Deleted { get; set; }
}
