// The build failed, and for the right reason: rule H1 caught the heap of the wrong capacity.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.MyHeapTest.xml')
assert report.isFile() : "no report of MyHeapTest: the build failed before the contract ran"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 15 : "MyHeapTest ran ${suite.@tests} tests, expected the 15 rules H1-H15"
def failed = suite.testcase.findAll { it.failure.size() > 0 || it.error.size() > 0 }*.@name*.toString()
assert failed.contains('h1_capacityAndOrderAreFixed') : "H1 should have failed, failed: ${failed}"
return true
