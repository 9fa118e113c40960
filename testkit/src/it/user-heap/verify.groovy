// The suite ran in full with no set-up beyond the dependency: every rule of both contracts passed.
def reports = new File(basedir, 'target/surefire-reports')
def heap = new File(reports, 'TEST-com.example.MyHeapTest.xml')
def lock = new File(reports, 'TEST-com.example.MyLockTest.xml')
assert heap.isFile() : "no report of MyHeapTest: the contract did not run"
assert lock.isFile() : "no report of MyLockTest: the contract did not run"
def heapSuite = new groovy.xml.XmlSlurper().parse(heap)
assert heapSuite.@tests.toInteger() == 15 : "MyHeapTest ran ${heapSuite.@tests} tests, expected the 15 rules H1-H15"
assert heapSuite.@failures.toInteger() == 0 && heapSuite.@errors.toInteger() == 0
def lockSuite = new groovy.xml.XmlSlurper().parse(lock)
assert lockSuite.@tests.toInteger() == 13 : "MyLockTest ran ${lockSuite.@tests} tests, expected the 13 rules C1-C13"
assert lockSuite.@failures.toInteger() == 0 && lockSuite.@errors.toInteger() == 0
return true
