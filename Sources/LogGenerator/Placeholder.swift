// Replaced by the generator.
public enum LogGeneratorPlaceholder {}
