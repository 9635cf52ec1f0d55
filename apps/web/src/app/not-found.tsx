import { FormPage } from '@/components/ui/FormPage';
import { Link } from '@/components/ui/Link';

export default function NotFound() {
  return (
    <FormPage title="Nothing here" lead="This page does not exist. Spaces live at /being/@their-name.">
      <p>
        <Link className="button button-primary" href="/being/@intraliminal">
          Go to #intraliminal
        </Link>
      </p>
    </FormPage>
  );
}
