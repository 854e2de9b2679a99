extension ProxyAction {
    /// The name rule files and reports use: `allowed`, `denied`, `challenge`.
    public var name: String {
        switch self {
        case .allowed: return "allowed"
        case .denied: return "denied"
        case .challenge: return "challenge"
        }
    }

    public init?(name: String) {
        switch name {
        case "allowed": self = .allowed
        case "denied": self = .denied
        case "challenge": self = .challenge
        default: return nil
        }
    }
}
