// 1. The user's project built with versions from the BOM alone, and its test ran and passed.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.AllocateAndFreeTest.xml')
assert report.isFile() : "no report of AllocateAndFreeTest: the project did not build or its test did not run"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 2 : "AllocateAndFreeTest ran ${suite.@tests} tests, expected 2"
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0

// 2. bom/pom.xml manages exactly the published modules of the reactor, at the parent's version, and has no
//    parent (an importer would get the parent's dependencyManagement: JUnit, Guava, ...).
def slurp = { File f -> new groovy.xml.XmlSlurper().parse(f) }
def root = new File(reactorRoot).canonicalFile
def rootPom = slurp(new File(root, 'pom.xml'))
def published = [] as SortedSet
def visit
visit = { File dir ->
    def pom = slurp(new File(dir, 'pom.xml'))
    def packaging = pom.packaging.text() ?: 'jar'
    def unpublished = pom.properties.'emballoc.unpublished'.text() == 'true'
    if (packaging != 'pom' && !unpublished) {
        published << pom.artifactId.text()
    }
    // modules of the default reactor and of profiles (a module built only on a newer JDK, say)
    def modules = (pom.modules.module*.text() + pom.profiles.profile.modules.module*.text()) as LinkedHashSet
    modules.each { visit(new File(dir, it)) }
}
visit(root)

def bom = slurp(new File(root, 'bom/pom.xml'))
assert bom.parent.size() == 0 : "bom/pom.xml has a parent: its dependencyManagement would leak into every importer"
assert bom.version.text() == rootPom.version.text() :
        "bom/pom.xml is version ${bom.version}, the parent ${rootPom.version}: keep them equal"
def managed = bom.dependencyManagement.dependencies.dependency
managed.each { d ->
    assert d.groupId.text() == 'io.github.emballoc' && d.version.text() == '${project.version}' :
            "bom/pom.xml manages ${d.groupId}:${d.artifactId}:${d.version}; it manages emballoc's artifacts at \${project.version} only"
}
def listed = managed.collect { it.artifactId.text() } as SortedSet
def missing = published - listed
def extra = listed - published
assert missing.isEmpty() : "bom/pom.xml does not list the published module(s) ${missing}: add an entry for each " +
        "(or set emballoc.unpublished to true in a module that is not published)"
assert extra.isEmpty() : "bom/pom.xml lists ${extra}, which the reactor does not publish"
return true
