package org.mcpplatform.tool;

public record FindToolBySlug(String slug) {
}
