using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Requests;

public class StateDiagramTests
{
    [Fact]
    public void Readme_state_diagram_matches_the_machine()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var diagram = ResetRequest.MermaidDiagram().ReplaceLineEndings("\n").Trim();

        Assert.True(
            readme.ReplaceLineEndings("\n").Contains(diagram, StringComparison.Ordinal),
            "README.md's state diagram has drifted from the code. Replace it with:\n" + diagram);
    }
}
