// Loads an ontology document with the OWL API (the library Protege uses), reports OWL 2 DL profile
// violations and any RDF triples the parser could not turn into axioms. Exit 0 only when both are zero.
// Run as a single-file program: java -cp '/usr/share/java/*' OwlProfileCheck.java FILE...
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfileCheck {
    public static void main(String[] args) throws Exception {
        boolean ok = true;
        for (String path : args) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(path));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            long unparsed = 0;
            OWLOntologyLoaderMetaData meta = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().orElse(null);
            if (meta instanceof RDFParserMetaData) {
                RDFParserMetaData rdf = (RDFParserMetaData) meta;
                unparsed = rdf.getUnparsedTriples().count();
                rdf.getUnparsedTriples().limit(20).forEach(t -> System.out.println("UNPARSED " + t));
            }
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println("VIOLATION " + v);
            }
            System.out.println("FILE " + path + " axioms=" + ontology.getAxiomCount() + " violations="
                + report.getViolations().size() + " unparsed=" + unparsed);
            ok &= report.getViolations().isEmpty() && unparsed == 0;
        }
        System.exit(ok ? 0 : 1);
    }
}
