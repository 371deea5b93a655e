using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>Everything a runtime expression can refer to at one point of a run.</summary>
internal sealed class ExpressionContext
{
    public required IReadOnlyDictionary<string, JsonNode?> Inputs { get; init; }

    public Dictionary<string, IReadOnlyDictionary<string, JsonNode?>> StepOutputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Outputs of the workflows of this document completed in the run (shared by the run's workflows).</summary>
    public Dictionary<string, IReadOnlyDictionary<string, JsonNode?>> WorkflowOutputs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Inputs of the workflows of this document started in the run.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, JsonNode?>> WorkflowInputs { get; init; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JsonNode?> Outputs { get; set; } = new Dictionary<string, JsonNode?>();

    public required IReadOnlyDictionary<string, string> SourceDescriptionUrls { get; init; }

    public RecordedExchange? Exchange { get; set; }
}
