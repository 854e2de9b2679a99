import Yams

/// A reader of one YAML file (a rule file, the policy) whose problems carry `file:line:column`: a node's
/// position from its mark (1:1 without one), a syntax error's from Yams.
protocol YAMLProblems {
    /// The file as it is named in problems.
    var file: String { get }
}

extension YAMLProblems {
    func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    func problem(_ node: Node?, _ message: String) -> RuleProblem {
        RuleProblem(location: location(node), message: message)
    }

    /// The file's root node (nil for an empty file), or the problem that stops it from being YAML.
    func compose(_ text: String) -> Result<Node?, RuleProblem> {
        do {
            return .success(try Yams.compose(yaml: text))
        } catch let error as YamlError {
            return .failure(yamlProblem(error))
        } catch {
            return .failure(problem(nil, "cannot parse YAML: \(error)"))
        }
    }

    func yamlProblem(_ error: YamlError) -> RuleProblem {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return RuleProblem(location: SourceLocation(file: file, line: mark.line, column: mark.column), message: "YAML: \(problem)")
        default:
            return RuleProblem(location: SourceLocation(file: file, line: 1, column: 1), message: "YAML: \(error)")
        }
    }
}
