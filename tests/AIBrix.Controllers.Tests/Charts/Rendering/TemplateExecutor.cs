using System.Text;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// Runs parsed templates the way Go's text/template does: dot and <c>$</c>, variables scoped to their control
/// structure, <c>and</c>/<c>or</c> short-circuiting, field access on maps (a missing key is nil; a field of nil is an
/// error), and the function table of <see cref="TemplateFunctions"/>.
/// </summary>
internal sealed class TemplateExecutor(IReadOnlyDictionary<string, NamedTemplate> templates, TemplateFunctions functions)
{
    private const int MaxDepth = 100;
    private int _depth;

    /// <summary>Renders <paramref name="nodes"/> of file <paramref name="file"/> with <paramref name="data"/> as dot and <c>$</c>.</summary>
    public string Render(List<TemplateNode> nodes, string file, object? data)
    {
        var output = new StringBuilder();
        var scope = new Scope(file, data);
        Walk(nodes, data, scope, output);
        return output.ToString();
    }

    /// <summary>Renders the named template (Helm's <c>include</c>).</summary>
    public string Include(string name, object? data)
    {
        if (!templates.TryGetValue(name, out var template))
        {
            throw new TemplateException($"error calling include: template: no template \"{name}\" associated with template \"gotpl\"");
        }

        if (++_depth > MaxDepth)
        {
            throw new TemplateException($"rendering template has a nested reference name: {name}: too deep");
        }

        try
        {
            return Render(template.Body, template.File, data);
        }
        finally
        {
            _depth--;
        }
    }

    private void Walk(List<TemplateNode> nodes, object? dot, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    object? value = Run(action.Pipeline, dot, scope, action.Line);
                    if (action.Pipeline.Variables.Count == 0)
                    {
                        output.Append(GoValues.Print(value));
                    }

                    break;
                case CallTemplateNode call:
                    output.Append(Include(call.Name, call.Pipeline is null ? null : Run(call.Pipeline, dot, scope, call.Line)));
                    break;
                case BranchNode branch:
                    Branch(branch, dot, scope, output);
                    break;
            }
        }
    }

    private void Branch(BranchNode branch, object? dot, Scope scope, StringBuilder output)
    {
        int mark = scope.Mark();
        try
        {
            if (branch.Keyword == "range")
            {
                Range(branch, dot, scope, output);
                return;
            }

            object? value = Run(branch.Pipeline, dot, scope, branch.Line);
            if (GoValues.Truth(value))
            {
                Walk(branch.Body, branch.Keyword == "with" ? value : dot, scope, output);
            }
            else if (branch.Else is not null)
            {
                Walk(branch.Else, dot, scope, output);
            }
        }
        finally
        {
            scope.Reset(mark);
        }
    }

    private void Range(BranchNode branch, object? dot, Scope scope, StringBuilder output)
    {
        var pipeline = branch.Pipeline with { Variables = [] };
        object? collection = Run(pipeline, dot, scope, branch.Line);
        IEnumerable<(object? Key, object? Value)> items = collection switch
        {
            null => [],
            List<object?> list => list.Select((v, i) => ((object?)(long)i, v)),
            Dictionary<string, object?> map => map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ((object?)kv.Key, kv.Value)),
            long n => Enumerable.Range(0, (int)n).Select(i => ((object?)(long)i, (object?)(long)i)),
            _ => throw Error(scope, branch.Line, $"range can't iterate over {GoValues.Print(collection)}"),
        };

        bool any = false;
        foreach (var (key, value) in items)
        {
            any = true;
            int mark = scope.Mark();
            var names = branch.Pipeline.Variables;
            if (names.Count == 1)
            {
                scope.Declare(names[0], value);
            }
            else if (names.Count == 2)
            {
                scope.Declare(names[0], key);
                scope.Declare(names[1], value);
            }

            Walk(branch.Body, value, scope, output);
            scope.Reset(mark);
        }

        if (!any && branch.Else is not null)
        {
            Walk(branch.Else, dot, scope, output);
        }
    }

    private object? Run(Pipeline pipeline, object? dot, Scope scope, int line)
    {
        object? value = null;
        bool first = true;
        foreach (var command in pipeline.Commands)
        {
            value = Command(command, dot, scope, line, first ? Missing.Value : value);
            first = false;
        }

        foreach (var name in pipeline.Variables)
        {
            if (pipeline.Declares)
            {
                scope.Declare(name, value);
            }
            else
            {
                scope.Assign(name, value, line);
            }
        }

        return value;
    }

    private object? Command(Command command, object? dot, Scope scope, int line, object? piped)
    {
        var head = command.Arguments[0];
        if (head is not FunctionOperand function)
        {
            if (command.Arguments.Count > 1 || piped != Missing.Value)
            {
                throw Error(scope, line, $"can't give argument to non-function {Describe(head)}");
            }

            return Operand(head, dot, scope, line);
        }

        var arguments = command.Arguments.Skip(1).ToList();
        try
        {
            if (function.Name is "and" or "or")
            {
                return ShortCircuit(function.Name, arguments, piped, dot, scope, line);
            }

            var values = arguments.Select(a => Operand(a, dot, scope, line)).ToList();
            if (piped != Missing.Value)
            {
                values.Add(piped);
            }

            return functions.Call(function.Name, [.. values], this);
        }
        catch (TemplateException e) when (!e.Message.StartsWith("execution error", StringComparison.Ordinal) && !e.Message.StartsWith("template:", StringComparison.Ordinal))
        {
            throw Error(scope, line, e.Message);
        }
    }

    /// <summary>Go 1.18+: <c>and</c> stops at the first false argument and returns it; <c>or</c> at the first true.</summary>
    private object? ShortCircuit(string name, List<Operand> arguments, object? piped, object? dot, Scope scope, int line)
    {
        var thunks = arguments.Select(a => (Func<object?>)(() => Operand(a, dot, scope, line))).ToList();
        if (piped != Missing.Value)
        {
            thunks.Add(() => piped);
        }

        if (thunks.Count == 0)
        {
            throw new TemplateException($"wrong number of args for {name}: want at least 1 got 0");
        }

        object? value = null;
        foreach (var thunk in thunks)
        {
            value = thunk();
            if (GoValues.Truth(value) == (name == "or"))
            {
                return value;
            }
        }

        return value;
    }

    private object? Operand(Operand operand, object? dot, Scope scope, int line) => operand switch
    {
        LiteralOperand literal => literal.Value,
        DotOperand d => Fields(dot, d.Fields, scope, line),
        VariableOperand v => Fields(scope.Get(v.Name, line), v.Fields, scope, line),
        PipelineOperand p => Fields(Run(p.Pipeline, dot, scope, line), p.Fields, scope, line),
        FunctionOperand f => Command(new Command([f]), dot, scope, line, Missing.Value),
        _ => throw Error(scope, line, "unknown operand"),
    };

    private object? Fields(object? value, string[] fields, Scope scope, int line)
    {
        foreach (var field in fields)
        {
            value = value switch
            {
                Dictionary<string, object?> map => map.GetValueOrDefault(field),
                null => throw Error(scope, line, $"nil pointer evaluating interface {{}}.{field}"),
                _ => throw Error(scope, line, $"can't evaluate field {field} in type {GoValues.Kind(value)}"),
            };
        }

        return value;
    }

    private static string Describe(Operand operand) => operand switch
    {
        DotOperand d => "." + string.Join(".", d.Fields),
        VariableOperand v => v.Name,
        LiteralOperand l => GoValues.Print(l.Value),
        _ => operand.ToString() ?? "",
    };

    private static TemplateException Error(Scope scope, int line, string message) => TemplateException.At(scope.File, line, message);

    /// <summary>Marks "no value piped in" (distinct from a piped nil).</summary>
    private sealed class Missing
    {
        public static readonly object Value = new();
    }

    /// <summary>The variable stack of one template execution; <c>$</c> is its data.</summary>
    private sealed class Scope
    {
        private readonly List<(string Name, object? Value)> _variables;

        public Scope(string file, object? data)
        {
            File = file;
            _variables = [("$", data)];
        }

        public string File { get; }

        public int Mark() => _variables.Count;

        public void Reset(int mark) => _variables.RemoveRange(mark, _variables.Count - mark);

        public void Declare(string name, object? value) => _variables.Add((name, value));

        public void Assign(string name, object? value, int line)
        {
            int i = _variables.FindLastIndex(v => v.Name == name);
            if (i < 0)
            {
                throw TemplateException.At(File, line, $"undefined variable: {name}");
            }

            _variables[i] = (name, value);
        }

        public object? Get(string name, int line)
        {
            int i = _variables.FindLastIndex(v => v.Name == name);
            return i >= 0 ? _variables[i].Value : throw TemplateException.At(File, line, $"undefined variable \"{name}\"");
        }
    }
}
