namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>A temporary folder holding a workflow document and its OpenAPI description.</summary>
internal sealed class TestWorkspace : IDisposable
{
    public TestWorkspace() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "arazzo-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes the pet-store OpenAPI fixture and a workflow that uses it; returns the workflow path.</summary>
    public string WriteWorkflow(string workflowYaml, string fileName = "workflow.arazzo.yaml")
    {
        Write("petstore.yaml", Fixtures.PetStoreOpenApi);
        return Write(fileName, workflowYaml);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
