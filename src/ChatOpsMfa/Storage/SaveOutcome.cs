namespace ChatOpsMfa.Storage;

/// <summary>Whether a save went through, or someone else changed the request first (optimistic concurrency).</summary>
public enum SaveOutcome
{
    Saved,
    Conflict,
}
