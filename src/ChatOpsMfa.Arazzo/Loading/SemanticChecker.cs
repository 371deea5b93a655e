using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// The checks the schema cannot make: operations exist, path parameters match the path template,
/// expressions and conditions parse, references to steps, outputs and goto targets exist, and the
/// lint warning for expressions embedded without braces.
/// </summary>
internal sealed class SemanticChecker(
    IReadOnlyList<ArazzoWorkflow> workflows,
    SourceDocuments sources,
    bool sourcesComplete,
    DiagnosticCollector diagnostics)
{
    public Dictionary<(string WorkflowId, string StepId), ResolvedOperation> Operations { get; } = [];

    public void Check()
    {
        foreach (var duplicate in workflows.GroupBy(w => w.WorkflowId).Where(g => g.Count() > 1))
        {
            diagnostics.Error(duplicate.Last().Pointer + "/workflowId", $"workflowId '{duplicate.Key}' is used more than once");
        }

        foreach (var workflow in workflows)
        {
            CheckWorkflow(workflow);
        }
    }

    private void CheckWorkflow(ArazzoWorkflow workflow)
    {
        foreach (var duplicate in workflow.Steps.GroupBy(s => s.StepId).Where(g => g.Count() > 1))
        {
            diagnostics.Error(duplicate.Last().Pointer + "/stepId", $"stepId '{duplicate.Key}' is used more than once in workflow '{workflow.WorkflowId}'");
        }

        for (var i = 0; i < workflow.DependsOn.Count; i++)
        {
            CheckWorkflowReference(workflow.DependsOn[i], workflow.Pointer + "/dependsOn/" + i, "dependsOn");
        }

        CheckParameterValues(workflow, workflow.Parameters);
        CheckActions(workflow, workflow.SuccessActions);
        CheckActions(workflow, workflow.FailureActions);
        foreach (var step in workflow.Steps)
        {
            CheckStep(workflow, step);
        }

        foreach (var (name, value) in workflow.Outputs)
        {
            CheckOutputExpression(workflow, value, workflow.Pointer + "/outputs/" + YamlJsonReader.EscapePointer(name));
        }
    }

    private void CheckStep(ArazzoWorkflow workflow, ArazzoStep step)
    {
        if (step.WorkflowId is { } workflowId)
        {
            CheckWorkflowReference(workflowId, step.Pointer + "/workflowId", $"step '{step.StepId}'");
        }
        else if (sourcesComplete)
        {
            var operation = OperationResolver.Resolve(step, sources.OpenApi, out var error);
            if (operation is null)
            {
                diagnostics.Error(step.Pointer + (step.OperationId is not null ? "/operationId" : "/operationPath"), $"step '{step.StepId}': {error}");
            }
            else
            {
                Operations[(workflow.WorkflowId, step.StepId)] = operation;
                CheckPathParameters(workflow, step, operation);
            }
        }

        CheckParameterValues(workflow, step.Parameters);
        if (step.RequestBody is { } body)
        {
            CheckValue(workflow, body.Payload, body.Pointer + "/payload");
            foreach (var replacement in body.Replacements)
            {
                if (replacement.Target.Length > 0 && replacement.Target[0] != '/')
                {
                    diagnostics.Error(replacement.Pointer + "/target", "only JSON pointer targets are supported (XPath targets are not)");
                }

                CheckValue(workflow, replacement.Value, replacement.Pointer + "/value");
            }
        }

        CheckCriteria(workflow, step.SuccessCriteria);
        CheckActions(workflow, step.OnSuccess);
        CheckActions(workflow, step.OnFailure);
        foreach (var (name, value) in step.Outputs)
        {
            CheckOutputExpression(workflow, value, step.Pointer + "/outputs/" + YamlJsonReader.EscapePointer(name));
        }
    }

    private void CheckPathParameters(ArazzoWorkflow workflow, ArazzoStep step, ResolvedOperation operation)
    {
        var parameters = Merge(workflow.Parameters, step.Parameters);
        foreach (var parameter in parameters.Where(p => p.In == "path"))
        {
            if (!operation.PathVariables.Contains(parameter.Name, StringComparer.Ordinal))
            {
                diagnostics.Error(parameter.Pointer + "/name", $"step '{step.StepId}': path parameter '{parameter.Name}' is not a variable of '{operation.PathTemplate}'");
            }
        }

        foreach (var parameter in parameters.Where(p => p.In is null))
        {
            diagnostics.Error(parameter.Pointer, $"step '{step.StepId}': parameter '{parameter.Name}' needs 'in' (path, query, header or cookie) on an operation step");
        }

        // One problem, one message: a misnamed path parameter already explains the variable left without one.
        var misnamed = parameters.Any(p => p.In == "path" && !operation.PathVariables.Contains(p.Name, StringComparer.Ordinal));
        foreach (var variable in operation.PathVariables.Where(v => !misnamed && !parameters.Any(p => p.In == "path" && p.Name == v)))
        {
            diagnostics.Warning(step.Pointer, $"step '{step.StepId}': path variable '{{{variable}}}' of '{operation.PathTemplate}' has no parameter");
        }
    }

    internal static List<ArazzoParameter> Merge(IReadOnlyList<ArazzoParameter> inherited, IReadOnlyList<ArazzoParameter> own) =>
        inherited.Where(w => !own.Any(p => p.Name == w.Name && p.In == w.In)).Concat(own).ToList();

    private void CheckParameterValues(ArazzoWorkflow workflow, IReadOnlyList<ArazzoParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            CheckValue(workflow, parameter.Value, parameter.Pointer + "/value");
        }
    }

    private void CheckActions(ArazzoWorkflow workflow, IReadOnlyList<ArazzoAction> actions)
    {
        foreach (var action in actions)
        {
            if (action.StepId is { } stepId && workflow.FindStep(stepId) is null)
            {
                diagnostics.Error(action.Pointer + "/stepId", $"action '{action.Name}' names step '{stepId}', which is not in workflow '{workflow.WorkflowId}'");
            }

            if (action.WorkflowId is { } workflowId)
            {
                CheckWorkflowReference(workflowId, action.Pointer + "/workflowId", $"action '{action.Name}'");
            }

            CheckCriteria(workflow, action.Criteria);
        }
    }

    private void CheckWorkflowReference(string reference, string pointer, string owner)
    {
        if (WorkflowReference.Resolve(reference, workflows, sources.Arazzo, out var error) is null
            && (sourcesComplete || !reference.StartsWith("$sourceDescriptions.", StringComparison.Ordinal)))
        {
            diagnostics.Error(pointer, $"{owner}: {error}");
        }
    }

    private void CheckCriteria(ArazzoWorkflow workflow, IReadOnlyList<ArazzoCriterion> criteria)
    {
        foreach (var criterion in criteria)
        {
            if (CriterionEvaluator.Check(criterion) is { } problem)
            {
                // A context that is not a runtime expression is reported at the context, where the problem is.
                var field = problem.StartsWith(CriterionEvaluator.ContextProblem, StringComparison.Ordinal) ? "/context" : "/condition";
                diagnostics.Error(criterion.Pointer + field, problem);
                continue;
            }

            if (criterion.Type == "jsonpath" && !JsonPath.JsonPathQuery.TryParse(criterion.Condition, out _, out _))
            {
                diagnostics.Warning(criterion.Pointer + "/condition", "not an RFC 9535 JSONPath query: read as an RFC 9535 filter expression (what follows '?' in a filter) with $ and @ the context value");
            }

            if (criterion.Context is { } context && RuntimeExpressionParser.TryParse(context, out var contextExpression, out _))
            {
                CheckReference(workflow, contextExpression, criterion.Pointer + "/context");
            }

            if (criterion.Type == "simple" && ConditionParser.TryParse(criterion.Condition, out var node, out _))
            {
                foreach (var expression in ExpressionsIn(node))
                {
                    CheckReference(workflow, expression, criterion.Pointer + "/condition");
                }
            }
        }
    }

    private void CheckOutputExpression(ArazzoWorkflow workflow, string value, string pointer)
    {
        if (!RuntimeExpressionParser.TryParse(value, out var expression, out var error))
        {
            diagnostics.Error(pointer, $"invalid output expression: {error}");
            return;
        }

        CheckReference(workflow, expression, pointer);
    }

    /// <summary>Checks every string inside a value for expressions, warning on the bare embedded form.</summary>
    private void CheckValue(ArazzoWorkflow workflow, JsonNode? value, string pointer)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    CheckValue(workflow, child, pointer + "/" + YamlJsonReader.EscapePointer(key));
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckValue(workflow, array[i], pointer + "/" + i);
                }

                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                var text = scalar.GetValue<string>();
                if (!ExpressionTemplateParser.TryParse(text, out var template, out var error))
                {
                    diagnostics.Error(pointer, $"invalid expression: {error}");
                    return;
                }

                if (template.HasBareEmbeddedExpression)
                {
                    diagnostics.Warning(pointer, $"expression embedded without braces; the Arazzo spec form is '{template.ToSpecForm()}'");
                }

                foreach (var expression in template.Expressions)
                {
                    CheckReference(workflow, expression, pointer);
                }

                break;
        }
    }

    private void CheckReference(ArazzoWorkflow workflow, RuntimeExpression expression, string pointer)
    {
        // Arazzo 1.0.1 ABNF: body-reference = "body" ["#" json-pointer]. The dotted form ($response.body.x) is not in
        // it, but the OAI's own examples use it (bnpl, FAPI-PAR), so the runner reads it as property access and
        // validation only warns, naming the spec form.
        if (expression.Root is ExpressionRoot.Request or ExpressionRoot.Response && expression.Segments.Count > 1 && expression.Segments[0] == "body")
        {
            var source = expression.Root == ExpressionRoot.Request ? "request" : "response";
            var specForm = $"${source}.body#/{string.Join('/', expression.Segments.Skip(1).Select(EscapePointerToken))}{expression.JsonPointer}";
            diagnostics.Warning(pointer, $"'{expression.Text}' uses dotted access after body, which the Arazzo 1.0.1 ABNF does not define; the spec form is '{specForm}'");
        }

        if (expression.Root == ExpressionRoot.Steps)
        {
            var stepId = expression.Segments[0];
            if (workflow.FindStep(stepId) is not { } step)
            {
                diagnostics.Error(pointer, $"'{expression.Text}' refers to step '{stepId}', which is not in workflow '{workflow.WorkflowId}'");
                return;
            }

            var names = expression.Segments.Skip(2).ToArray();
            var exists = Enumerable.Range(1, names.Length).Any(take => step.Outputs.ContainsKey(string.Join('.', names.Take(take))));
            if (!exists)
            {
                diagnostics.Error(pointer, $"'{expression.Text}' refers to an output that step '{stepId}' does not define");
            }
        }
        else if (expression.Root == ExpressionRoot.Workflows && workflows.FirstOrDefault(w => w.WorkflowId == expression.Segments[0]) is null)
        {
            diagnostics.Error(pointer, $"'{expression.Text}' refers to workflow '{expression.Segments[0]}', which does not exist in this document");
        }
    }

    private static IEnumerable<RuntimeExpression> ExpressionsIn(ConditionNode node) => node switch
    {
        ExpressionNode expression => [expression.Expression],
        NotNode not => ExpressionsIn(not.Operand),
        AndNode and => ExpressionsIn(and.Left).Concat(ExpressionsIn(and.Right)),
        OrNode or => ExpressionsIn(or.Left).Concat(ExpressionsIn(or.Right)),
        ComparisonNode comparison => ExpressionsIn(comparison.Left).Concat(ExpressionsIn(comparison.Right)),
        _ => [],
    };

    private static string EscapePointerToken(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
