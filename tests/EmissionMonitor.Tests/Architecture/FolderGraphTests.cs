using System.Text;
using System.Text.RegularExpressions;

namespace EmissionMonitor.Tests.Architecture;

/// <summary>
/// The folders of both projects depend on each other without cycles, computed from the source (using
/// directives, qualified names); the graph in docs/architecture.md is the one computed here
/// (<c>EM_WRITE_DOCS=1</c> writes it).
/// </summary>
public sealed partial class FolderGraphTests
{
    private const string Begin = "<!-- folder-graph:begin -->", End = "<!-- folder-graph:end -->";

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmissionMonitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EmissionMonitor.sln not found above the test's folder");
    }

    /// <summary>Each folder's dependencies on the project's other folders, with the files that make each one.</summary>
    public static SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> Graph(string project, string ns)
    {
        string root = Path.Combine(Root(), "src", project);
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Dashboard")).Select(f => f!).ToList();
        var graph = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var edges = graph[folder] = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                string code = Comment().Replace(File.ReadAllText(file), string.Empty);
                foreach (var other in folders.Where(o => o != folder))
                {
                    string name = Regex.Escape(other), space = Regex.Escape(ns);
                    if (Regex.IsMatch(code, $@"using\s+{space}\.{name}\b") || Regex.IsMatch(code, $@"\b{space}\.{name}\.") || Regex.IsMatch(code, $@"(?<![\w.]){name}\.[A-Z]"))
                    {
                        if (!edges.TryGetValue(other, out var files))
                        {
                            edges[other] = files = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The strongly connected components of more than one folder (Tarjan).</summary>
    public static List<List<string>> Cycles(SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var on = new HashSet<string>();
        var found = new List<List<string>>();
        int next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            on.Add(v);
            foreach (var w in graph[v].Keys)
            {
                if (!index.TryGetValue(w, out int seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (on.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    on.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    found.Add(component);
                }
            }
        }

        foreach (var v in graph.Keys.Where(v => !index.ContainsKey(v)).ToList())
        {
            Visit(v);
        }

        return found;
    }

    [Theory]
    [InlineData("EmissionMonitor", "EmissionMonitor")]
    [InlineData("EmissionMonitor.Hj212", "EmissionMonitor.Hj212")]
    public void TheFolders_DependOnEachOtherWithoutCycles(string project, string ns)
    {
        var graph = Graph(project, ns);
        Assert.True(graph.Count > 3, $"{project}: {graph.Count} folders found");
        var cycles = Cycles(graph);
        var why = new StringBuilder();
        foreach (var cycle in cycles)
        {
            why.AppendLine($"cycle of {cycle.Count} folders: {string.Join(", ", cycle.Order(StringComparer.Ordinal))}");
            foreach (var from in cycle.Order(StringComparer.Ordinal))
            {
                foreach (var (to, files) in graph[from].Where(e => cycle.Contains(e.Key)))
                {
                    why.AppendLine($"  {from} -> {to}: {string.Join(", ", files.Take(4))}");
                }
            }
        }

        Assert.True(cycles.Count == 0, why.ToString());
    }

    [Fact]
    public void TheCycleCheck_FindsACycle_WhereThereIsOne()
    {
        var graph = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal)
        {
            ["A"] = new(StringComparer.Ordinal) { ["B"] = ["A/x.cs"] },
            ["B"] = new(StringComparer.Ordinal) { ["C"] = ["B/y.cs"] },
            ["C"] = new(StringComparer.Ordinal) { ["A"] = ["C/z.cs"] },
            ["D"] = new(StringComparer.Ordinal) { ["A"] = ["D/w.cs"] },
        };
        Assert.Equal(["A", "B", "C"], Assert.Single(Cycles(graph)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ArchitectureMd_ShowsTheFolderGraphAsComputed()
    {
        var text = new StringBuilder(Begin).Append('\n');
        foreach (var (project, ns) in new[] { ("EmissionMonitor", "EmissionMonitor"), ("EmissionMonitor.Hj212", "EmissionMonitor.Hj212") })
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n`src/{project}` — each folder and the folders it uses (computed by `FolderGraphTests` from the source):\n\n");
            text.Append("| folder | uses |\n|---|---|\n");
            foreach (var (folder, edges) in Graph(project, ns))
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {folder} | {(edges.Count == 0 ? "–" : string.Join(", ", edges.Keys))} |\n");
            }
        }

        text.Append('\n').Append(End);
        string path = Path.Combine(Root(), "docs", "architecture.md");
        string doc = File.ReadAllText(path);
        int start = doc.IndexOf(Begin, StringComparison.Ordinal), end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/architecture.md has no folder-graph markers");
        string current = doc[start..(end + End.Length)];
        if (Environment.GetEnvironmentVariable("EM_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, doc[..start] + text + doc[(end + End.Length)..]);
            return;
        }

        Assert.True(current == text.ToString(), "docs/architecture.md's folder graph is not the one the source makes; run the tests with EM_WRITE_DOCS=1 to write it:\n" + text);
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
