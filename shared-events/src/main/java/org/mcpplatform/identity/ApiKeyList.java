package org.mcpplatform.identity;

import java.util.List;

public record ApiKeyList(List<ApiKeyView> keys) {
}
