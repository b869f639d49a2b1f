package org.mcpplatform.configuration;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.springframework.util.unit.DataSize;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A {@link DataSize} of at least {@link #bytes()}, as Hibernate Validator's @DurationMin is for durations. */
@Documented
@Constraint(validatedBy = DataSizeMin.Check.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface DataSizeMin {

    long bytes();

    String message() default "must be at least {bytes} bytes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<DataSizeMin, DataSize> {

        private long bytes;

        @Override
        public void initialize(DataSizeMin constraint) {
            bytes = constraint.bytes();
        }

        @Override
        public boolean isValid(DataSize value, ConstraintValidatorContext context) {
            return value == null || value.toBytes() >= bytes;
        }
    }
}
