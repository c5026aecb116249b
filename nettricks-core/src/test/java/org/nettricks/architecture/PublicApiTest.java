package org.nettricks.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * What the module descriptor cannot check: no signature of the API mentions the plumbing. A public
 * or protected member (or the supertype) of a public class of an exported package must not involve
 * a type of an {@code .internal} package, or a user could receive an object whose type they cannot
 * name (javac only warns about this, under {@code -Xlint:exports}).
 */
class PublicApiTest {
    private static boolean internal(JavaClass c) {
        return c.getPackageName().endsWith(".internal") || c.getPackageName().contains(".internal.");
    }

    /** Accessible from another module: public, and every enclosing class public too. */
    private static boolean accessible(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(JavaMember m) {
        return m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED);
    }

    /** "Owner.member mentions InternalType" for every public signature that involves an internal type. */
    static List<String> leaks(JavaClasses classes) {
        List<String> out = new ArrayList<>();
        for (JavaClass c : classes) {
            if (internal(c) || !accessible(c)) {
                continue;
            }
            List<JavaType> supertypes = new ArrayList<>(c.getInterfaces());
            c.getSuperclass().ifPresent(supertypes::add);
            check(c.getName(), supertypes, out);
            for (JavaField f : c.getFields()) {
                if (visible(f)) {
                    check(c.getName() + "." + f.getName(), List.of(f.getType()), out);
                }
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (visible(m)) {
                    List<JavaType> types = new ArrayList<>(m.getParameterTypes());
                    types.add(m.getReturnType());
                    types.addAll(m.getThrowsClause().getTypes());
                    check(c.getName() + "." + m.getName(), types, out);
                }
            }
        }
        return out;
    }

    private static void check(String where, List<? extends JavaType> types, List<String> out) {
        for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
                if (internal(raw)) {
                    out.add(where + " mentions " + raw.getName());
                }
            }
        }
    }

    @Test
    void noPublicSignatureOfTheApiMentionsAnInternalType() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.nettricks");
        Set<String> internals = new TreeSet<>();
        main.stream().filter(PublicApiTest::internal).forEach(c -> internals.add(c.getSimpleName()));
        assertTrue(internals.containsAll(Set.of("Json", "PerBatchSize", "Batches", "ParameterAccess")),
                "the import must see the internal classes, or this test proves nothing: " + internals);
        assertEquals(List.of(), leaks(main));
    }

    @Test
    void theRuleFindsALeakInAFixture() {
        JavaClasses fixture = new ClassFileImporter().importPackages("org.nettricks.architecture.fixture.leak");
        assertEquals(List.of("org.nettricks.architecture.fixture.leak.api.Leaky.hidden mentions "
                + "org.nettricks.architecture.fixture.leak.internal.Hidden"), leaks(fixture));
    }
}
