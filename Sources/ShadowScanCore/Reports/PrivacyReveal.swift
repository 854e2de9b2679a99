/// Resolves a pseudonym back to the identities behind it, by pseudonymising every identity of a result
/// (the same fields the privacy transform maps) and comparing. Nothing is stored that maps pseudonyms to
/// names: resolving needs the key and the logs (or a store of the run).
public enum PseudonymResolver {
    /// The identities whose pseudonym is `pseudonym` (any form: `u-…`, `u-…@domain`, either case); more
    /// than one only on a collision. Sorted, without repeats.
    public static func resolve(_ pseudonym: String, in result: AnalysisResult, with pseudonyms: Pseudonyms) -> [String] {
        resolve(pseudonym, among: PrivacyTransform.identities(in: result).map(\.1), with: pseudonyms)
    }

    public static func resolve(_ pseudonym: String, among identities: [String], with pseudonyms: Pseudonyms) -> [String] {
        guard let wanted = Pseudonyms.digestPart(of: pseudonym) else { return [] }
        return Array(Set(identities.filter { pseudonyms.digest($0) == wanted })).sorted()
    }
}
