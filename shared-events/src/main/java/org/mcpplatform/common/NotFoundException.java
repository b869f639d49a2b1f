package org.mcpplatform.common;

/** The addressed resource does not exist (or no longer exists, for soft-deleted resources). */
public class NotFoundException extends DomainException {

    private final String resourceType;
    private final String resourceId;

    public NotFoundException(String resourceType, String resourceId) {
        super(resourceType + " '" + resourceId + "' not found");
        this.resourceType = resourceType;
        this.resourceId = resourceId;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceId() {
        return resourceId;
    }
}
